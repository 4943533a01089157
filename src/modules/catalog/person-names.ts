/**
 * Whether a value looks like a person's name, in the forms Hong Kong data holds them: English
 * (`Mary Smith`, `Smith, Mary`), Hong Kong romanisation with the surname first or last
 * (`Chan Tai Man`, `Chan Tai-man`, `Peter Chan`), pinyin (`Wang Xiaoming`) and Chinese characters
 * (`陳大文`, `歐陽志明`).
 *
 * Where the words come from:
 * - English given names and surnames: the US census lists that zxcvbn-ts ships
 *   (`@zxcvbn-ts/language-en`, the `firstnames-en` and `lastnames-en` dictionaries). That package
 *   deduplicates across its lists, so common male given names (John, David) sit only in its surname
 *   list; the short list of them below fills that gap.
 * - Chinese surnames, their Cantonese and pinyin spellings and the syllables of given names: the
 *   lists below, written for this platform from the most common surnames in Hong Kong and Mainland
 *   China.
 *
 * Common words are surnames too (Green, Park, Rice), so an English name needs a given name first
 * and a surname last, every word capitalised, and none of the words may be a place in Hong Kong's
 * districts and estates (`Wong Tai Sin`, `Ho Man Tin` read like names).
 */
export interface PersonNames {
  given: ReadonlySet<string>;
  surnames: ReadonlySet<string>;
}

let loaded: Promise<PersonNames> | undefined;

/** Top surnames only: the long tail of the census list is mostly ordinary words. */
const surnameRankLimit = 20_000;

/** Loads the dictionaries once, on first use (not at import: starting the platform does not pay for them). */
export function loadPersonNames(): Promise<PersonNames> {
  loaded ??= import('@zxcvbn-ts/language-en').then(({ dictionary }) => {
    const given = new Set<string>([...dictionary['firstnames-en'], ...commonMaleGivenNames]);
    const surnames = new Set<string>([
      ...(dictionary['lastnames-en'] as string[]).slice(0, surnameRankLimit),
      ...chineseSurnameSpellings,
    ]);
    return { given, surnames };
  });
  return loaded;
}

const commonMaleGivenNames = (
  'james john robert michael william david richard joseph thomas charles christopher daniel matthew ' +
  'anthony mark donald steven paul andrew joshua kenneth kevin brian george timothy ronald edward ' +
  'jason jeffrey ryan jacob gary nicholas eric jonathan stephen larry justin scott brandon benjamin ' +
  'samuel gregory alexander frank patrick raymond jack dennis jerry tyler aaron jose adam nathan ' +
  'henry douglas zachary peter kyle ethan walter noah jeremy christian keith roger terry gerald ' +
  'harold sean austin carl arthur lawrence dylan jesse jordan bryan billy joe bruce gabriel logan ' +
  'albert willie alan juan wayne elijah randy roy vincent ralph eugene russell bobby mason philip ' +
  'louis harry martin oliver victor tony vincent ivan felix simon leo calvin marcus derek dominic ' +
  'edmond edwin alvin ken kelvin terence wilson jackie wing ming'
).split(' ');

/** The most common Chinese surnames as Hong Kong (Cantonese) and pinyin spell them, lower-cased. */
export const chineseSurnameSpellings = (
  'chan chen wong wang huang lee li cheung zhang chang lau liu leung liang lam lin ng wu ho he ' +
  'tsang zeng chow chau zhou yeung yang tse xie cheng zheng kwok guo tang deng lo law luo chu zhu ' +
  'fung feng yip ip ye lai mak mai poon pun pan choi tsoi cai hui xu kwan guan woo ma yu yue so su ' +
  'siu shiu xiao luk lu chung zhong tam tan lui lyu kong chiu zhao ko gao kwong kuang au ou yau qiu ' +
  'sin xian cheuk zhuo hung hong tong man wen mok mo fong fang kam jin yuen yuan sze shi szeto situ ' +
  'sit xue wan yin lok pang peng hon han koo gu ngai wei ting ding to du chong zhuang sun song yan ' +
  'yim shen sham cen tsui cui fan mao yiu yao shum chiang jiang hau hou fu tao kan jian'
).split(' ');

/** Syllables of Chinese given names, in Hong Kong's spelling and in pinyin (lower-cased). */
const givenNameSyllables = new Set(
  (
    'tai man siu ming wai kin ka ho yan ching mei ling kwok chi hung fai kit yee wing shing kei lok ' +
    'hin tsz hei yu sze hoi pui sum lam wah keung kwan fung choi chun yuk kam lai shan mun ngai hon ' +
    'tak kwong po sau suk ying yin kai kiu kuen lun nam on sai san shun sin tin tung wan yat yiu yue ' +
    'yuen chak cheuk chiu chung fat hang hok hou kong kuk leung lit long mo ngan pak pik sang shek ' +
    'shui sing tim ting tsun wa wo yam yeung yung bo bik chau choy fook fu hau hing hoo ki king kiu ' +
    'ko lap lik lung mau mui nga oi piu sek shuk sui tat to tsang tse tsoi tze wong yi yim ' +
    'xiao wei jing hua jun jie li na min hao yu qing xin yi tao yang lei hong bin feng bo chen cheng ' +
    'fang gang hai han hui jia jian jin juan kai lan lin long mei ning peng ping qiang rong rui shu ' +
    'tian ting wen xia xiang xue yan ying yong zhen zhi zhong zi hao yuan xuan xu ze yun dong guo ' +
    'ai an bai bing chao chun da de fei fu gui hu huan jiang jiao kun le liang liu lu mao mu nan qi ' +
    'qian qiao ran ru shan sheng shi song tong wu xi xiu yao ye ying yue zhao zhu'
  ).split(' '),
);

/**
 * Place names in Hong Kong that read like personal names (districts, towns and estates spelt in
 * Cantonese syllables); a value made of one of these is a place.
 */
const placeNames = new Set(
  [
    'wong tai sin',
    'yuen long',
    'sham shui po',
    'yau tsim mong',
    'wan chai',
    'kwun tong',
    'tai po',
    'sai kung',
    'sha tin',
    'tsuen wan',
    'tuen mun',
    'kwai tsing',
    'tai wai',
    'ma on shan',
    'tsim sha tsui',
    'mong kok',
    'lam tin',
    'sheung wan',
    'tin shui wai',
    'tung chung',
    'siu sai wan',
    'tai koo',
    'ho man tin',
    'lok fu',
    'choi hung',
    'kwai fong',
    'lai chi kok',
    'cheung sha wan',
    'tai kok tsui',
    'yau ma tei',
    'fo tan',
    'ma wan',
    'lei yue mun',
    'shek kip mei',
    'kowloon tong',
    'kowloon city',
    'wong chuk hang',
    'chai wan',
    'shau kei wan',
    'tseung kwan o',
    'hang hau',
    'po lam',
    'sheung shui',
    'fanling',
    'tai wo',
    'kam tin',
    'lau fau shan',
    'ap lei chau',
    'aberdeen',
    'stanley',
    'chek lap kok',
    'mui wo',
    'tai o',
    'cheung chau',
    'lamma',
    'pak tam chung',
    'so uk',
    'lei cheng uk',
    'wah fu',
    'choi wan',
    'shun lee',
    'sau mau ping',
    'on tai',
    'yau tong',
    'ngau tau kok',
    'kowloon bay',
    'diamond hill',
    'san po kong',
    'tsz wan shan',
  ].map((p) => p.replace(/ /g, '')),
);

/** Chinese surnames in Traditional and Simplified characters, single and compound. */
const chineseSurnameChars = new Set(
  Array.from(
    '陳黃李張梁林劉吳何王蔡鄭楊謝郭許曾羅鄧潘麥葉蘇周徐朱盧馮袁彭余鍾譚胡簡廖傅董莫伍韋區姚龐孫蕭程戴杜趙鄺關崔岑嚴侯湯鄒施邱魏薛' +
      '陈黄张刘吴郑杨谢许罗邓叶苏冯钟谭萧赵邝关严汤邹魏',
  ),
);
const chineseCompoundSurnames = [
  '歐陽',
  '欧阳',
  '司徒',
  '上官',
  '諸葛',
  '诸葛',
  '司馬',
  '司马',
  '慕容',
  '皇甫',
  '公孫',
  '令狐',
  '夏侯',
  '端木',
];

/** A value of Chinese characters only: a surname then a one- or two-character given name. */
function isChineseName(value: string): boolean {
  if (!/^\p{Script=Han}{2,4}$/u.test(value)) return false;
  const compound = chineseCompoundSurnames.find((s) => value.startsWith(s));
  if (compound) return value.length >= 3;
  return value.length <= 3 && chineseSurnameChars.has(value[0]!);
}

/** `tai-man` and `taiman` are Chinese given names made of known syllables. */
function isSyllables(word: string): boolean {
  const parts = word.split('-');
  return parts.every((part) => part !== '' && splitsIntoSyllables(part));
}

function splitsIntoSyllables(word: string, depth = 0): boolean {
  if (word === '') return depth > 0;
  if (depth >= 3) return false;
  for (let length = Math.min(6, word.length); length >= 1; length--) {
    if (givenNameSyllables.has(word.slice(0, length)) && splitsIntoSyllables(word.slice(length), depth + 1))
      return true;
  }
  return false;
}

/** Whether `value` looks like a person's name; `names` from loadPersonNames. */
export function looksLikePersonName(value: string, names: PersonNames): boolean {
  const trimmed = value.trim().replace(/\s+/g, ' ');
  if (isChineseName(trimmed)) return true;
  if (trimmed.length > 60 || !/^[\p{Lu}][\p{L}'’.-]*(?:,? [\p{L}'’.-]+){1,3}$/u.test(trimmed)) return false;
  // `Smith, Mary` is Mary Smith.
  const comma = trimmed.indexOf(',');
  const ordered = comma > 0 ? `${trimmed.slice(comma + 1)} ${trimmed.slice(0, comma)}` : trimmed;
  const words = ordered
    .split(' ')
    .filter((w) => w !== '')
    .map((w) => w.replace(/[.’']/g, (c) => (c === '.' ? '' : "'")));
  if (words.length < 2 || words.length > 4) return false;
  // Every word capitalised (`Chan Tai-man`, `McDonald`), initials allowed in the middle (`Mary J Smith`).
  if (!words.every((w) => /^\p{Lu}/u.test(w))) return false;
  const lower = words.map((w) => w.toLowerCase());
  if (placeNames.has(lower.join('').replace(/-/g, ''))) return false;
  const [first, ...rest] = lower;
  const last = lower[lower.length - 1]!;
  const middle = lower.slice(1, -1);
  const isInitial = (w: string) => /^\p{L}$/u.test(w);
  // English order: given names, then the surname (`Mary Smith`, `Peter Chan`, `Peter Chan Tai-man`).
  if (
    names.given.has(first!) &&
    (names.surnames.has(last) || isSyllables(last)) &&
    middle.every((w) => names.given.has(w) || isInitial(w) || names.surnames.has(w))
  ) {
    return true;
  }
  // Chinese order: a Chinese surname, then the given name in syllables (`Chan Tai Man`, `Wang Xiaoming`).
  if (chineseSurnameSpellings.includes(first!) && rest.every((w) => isSyllables(w))) return true;
  // Given name in syllables, then a Chinese surname (`Tai Man Chan`, `Xiaoming Wang`).
  return (
    chineseSurnameSpellings.includes(last) &&
    lower.slice(0, -1).every((w) => isSyllables(w) || names.given.has(w))
  );
}
