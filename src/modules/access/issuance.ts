/**
 * Keys work when shown. Creating or rotating a credential, or a subscription turning active,
 * commits and then notifies the change feed; the gateway reloads its snapshot on that notice after
 * a short debounce. Left at that, a client that calls the gateway straight after being shown its
 * key could be refused for a few milliseconds. So the routes that hand out access answer only once
 * this node's gateway holds what they handed out: the response waits for one snapshot load that
 * began after the commit. Other nodes hear the same notice through LISTEN/NOTIFY and load within
 * their debounce plus one load.
 *
 * If the load fails or is slow (the database strained), the answer is sent anyway after
 * `maxWaitMs`: what was issued is committed, and the gateway's periodic reload brings it in.
 */

/** The local gateway as the routes that hand out access see it. */
export interface LocalGateway {
  /** Loads a fresh snapshot; resolves once one loaded after this call is in use. */
  refresh(): Promise<void>;
  /** Whether the snapshot in use knows this OAuth2 client (a live, unrevoked one). */
  knowsClient(clientId: string): boolean;
}

const maxWaitMs = 2_000;

/** Resolves once the local gateway's snapshot reflects everything committed before the call. */
export async function untilGatewayHolds(gateway: LocalGateway | undefined): Promise<void> {
  if (!gateway) return;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    gateway.refresh().catch(() => {}),
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, maxWaitMs);
      timer.unref();
    }),
  ]);
  clearTimeout(timer);
}
