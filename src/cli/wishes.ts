import { type Command, InvalidArgumentError, Option } from 'commander';
import { ConfigError } from '../config-error.js';
import { wishStatuses } from '../modules/community/vocabulary.js';
import type { WishSort } from '../modules/community/wishes.js';
import { apiClient, withClientFlags } from './client.js';
import { emit, table } from './output.js';

interface ClientOptions {
  json?: boolean;
  url?: string;
  token?: string;
}

interface WishView {
  id: string;
  title: string;
  description: string;
  tags: string[];
  status: string;
  orgName: string;
  createdByName: string;
  createdAt: string;
  votes: number;
  votedByMe: boolean;
  followedByMe: boolean;
  responseCount: number;
}

interface ResponseView {
  id: string;
  orgName: string;
  message: string;
  target: { type: string; id: string; name: string };
  createdAt: string;
}

const sorts: WishSort[] = ['recent', 'votes'];

function pageSize(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 200)
    throw new InvalidArgumentError('expected a whole number 1–200');
  return n;
}

const tagList = (value: string) =>
  value
    .split(',')
    .map((tag) => tag.trim())
    .filter(Boolean);

function wishLines(wish: WishView): string[] {
  return [
    `${wish.id}  ${wish.title}`,
    `  ${wish.status}, ${wish.votes} vote${wish.votes === 1 ? '' : 's'}${wish.votedByMe ? ' (yours among them)' : ''}, ` +
      `${wish.responseCount} response${wish.responseCount === 1 ? '' : 's'}; asked by ${wish.createdByName} of ${wish.orgName}`,
    ...(wish.tags.length > 0 ? [`  tags: ${wish.tags.join(', ')}`] : []),
    ...(wish.description ? [`  ${wish.description}`] : []),
  ];
}

/** `stp wishes …`: the data wish board, from the terminal. */
export function registerWishCommands(program: Command): void {
  const wishes = program
    .command('wishes')
    .description('the data wish board: ask for data that does not exist yet, vote, answer');

  withClientFlags(wishes.command('list').description('wishes of the community, newest or most voted first'))
    .option('-q, --query <text>', 'search titles, descriptions and tags')
    .addOption(new Option('--status <status>', 'only wishes in this state').choices([...wishStatuses]))
    .addOption(new Option('--sort <order>', 'order').choices(sorts).default('recent'))
    .option('--limit <n>', 'at most this many (1–200)', pageSize, 50)
    .option('--cursor <cursor>', 'continue after a previous page')
    .action(
      async (
        options: ClientOptions & {
          query?: string;
          status?: string;
          sort: string;
          limit: number;
          cursor?: string;
        },
      ) => {
        const client = await apiClient(options);
        const search = new URLSearchParams({ sort: options.sort, limit: String(options.limit) });
        if (options.query) search.set('q', options.query);
        if (options.status) search.set('status', options.status);
        if (options.cursor) search.set('cursor', options.cursor);
        const page = await client.request<{ items: WishView[]; nextCursor: string | null }>(
          'GET',
          `/v1/wishes?${search}`,
        );
        emit(options.json === true, page, () => [
          table(
            page.items.map((wish) => ({ ...wish, voted: wish.votedByMe ? 'yes' : '' })),
            ['id', 'status', 'votes', 'voted', 'responseCount', 'orgName', 'title'],
          ),
          ...(page.nextCursor ? [`more: stp wishes list --cursor ${page.nextCursor}`] : []),
        ]);
      },
    );

  withClientFlags(wishes.command('show <wishId>').description('one wish and its responses')).action(
    async (wishId: string, options: ClientOptions) => {
      const client = await apiClient(options);
      const wish = await client.request<WishView & { responses: ResponseView[] }>(
        'GET',
        `/v1/wishes/${wishId}`,
      );
      emit(options.json === true, wish, () => [
        ...wishLines(wish),
        ...wish.responses.map(
          (response) =>
            `  ↳ ${response.orgName}: ${response.target.type} "${response.target.name}" (${response.target.id}): ${response.message}`,
        ),
      ]);
    },
  );

  withClientFlags(wishes.command('create <title>').description('ask the community for data; you follow it'))
    .option('--description <text>', 'what the data is for and what would help', '')
    .option('--tags <tags>', 'comma-separated tags (at most 10)', tagList)
    .action(async (title: string, options: ClientOptions & { description: string; tags?: string[] }) => {
      const client = await apiClient(options);
      const wish = await client.request<WishView>('POST', '/v1/wishes', {
        title,
        description: options.description,
        ...(options.tags ? { tags: options.tags } : {}),
      });
      emit(options.json === true, wish, () => [`posted ${wish.id}`, ...wishLines(wish).slice(1)]);
    });

  withClientFlags(wishes.command('vote <wishId>').description('vote for a wish (once per person)'))
    .option('--withdraw', 'take your vote back')
    .action(async (wishId: string, options: ClientOptions & { withdraw?: boolean }) => {
      const client = await apiClient(options);
      const result = await client.request<{ votes: number; votedByMe: boolean }>(
        options.withdraw ? 'DELETE' : 'PUT',
        `/v1/wishes/${wishId}/vote`,
      );
      emit(
        options.json === true,
        result,
        () =>
          `${result.votedByMe ? 'voted for' : 'no vote of yours on'} ${wishId}: ${result.votes} vote${result.votes === 1 ? '' : 's'}`,
      );
    });

  withClientFlags(
    wishes
      .command('respond <wishId> <message>')
      .description(
        "answer a wish with one of your organisation's published datasets or public APIs (admins)",
      ),
  )
    .option('--dataset <datasetId>', 'the dataset that meets the wish')
    .option('--api <apiId>', 'the API that meets the wish')
    .action(
      async (
        wishId: string,
        message: string,
        options: ClientOptions & { dataset?: string; api?: string },
      ) => {
        if (Boolean(options.dataset) === Boolean(options.api)) {
          throw new ConfigError('give exactly one of --dataset and --api');
        }
        const client = await apiClient(options);
        const response = await client.request<ResponseView>('POST', `/v1/wishes/${wishId}/responses`, {
          message,
          ...(options.dataset ? { datasetId: options.dataset } : { apiId: options.api }),
        });
        emit(
          options.json === true,
          response,
          () =>
            `answered ${wishId} with the ${response.target.type} "${response.target.name}"; the wisher and its followers are notified`,
        );
      },
    );

  withClientFlags(
    wishes.command('close <wishId>').description("close your organisation's wish (its poster, or an admin)"),
  ).action(async (wishId: string, options: ClientOptions) => {
    const client = await apiClient(options);
    const wish = await client.request<WishView>('POST', `/v1/wishes/${wishId}/close`);
    emit(options.json === true, wish, () => `closed ${wish.id}`);
  });
}
