// The roster of parties: the 193 UN member states, the two observer states and the usual
// negotiating groups, with their names in English (the UN short name, used as the key
// everywhere in Parley) and Chinese (the UN Chinese short name), and the aliases real drafts
// use for them. Drafts written in a room use whatever the delegate said ("俄罗斯", "US",
// "阿联酋"), so the reader needs every common form, and exports need one canonical form.

/** A party known to Parley. */
export interface PartyInfo {
  /** The English UN short name, e.g. "Russian Federation"; the key used in registries. */
  readonly en: string;
  /** The Chinese name, e.g. "俄罗斯联邦". */
  readonly zh: string;
  /** Other ways drafts write it, in either language ("Russia", "俄罗斯"). */
  readonly aliases: readonly string[];
  readonly kind: "state" | "observer" | "group" | "organ";
}

type Row = readonly [en: string, zh: string, ...aliases: string[]];

// UN member states, in the UN's English alphabetical order.
const states: readonly Row[] = [
  ["Afghanistan", "阿富汗"],
  ["Albania", "阿尔巴尼亚"],
  ["Algeria", "阿尔及利亚"],
  ["Andorra", "安道尔"],
  ["Angola", "安哥拉"],
  ["Antigua and Barbuda", "安提瓜和巴布达"],
  ["Argentina", "阿根廷"],
  ["Armenia", "亚美尼亚"],
  ["Australia", "澳大利亚", "澳洲"],
  ["Austria", "奥地利"],
  ["Azerbaijan", "阿塞拜疆"],
  ["Bahamas", "巴哈马", "The Bahamas"],
  ["Bahrain", "巴林"],
  ["Bangladesh", "孟加拉国", "孟加拉"],
  ["Barbados", "巴巴多斯"],
  ["Belarus", "白俄罗斯"],
  ["Belgium", "比利时"],
  ["Belize", "伯利兹"],
  ["Benin", "贝宁"],
  ["Bhutan", "不丹"],
  ["Bolivia (Plurinational State of)", "多民族玻利维亚国", "Bolivia", "玻利维亚"],
  ["Bosnia and Herzegovina", "波斯尼亚和黑塞哥维那", "波黑"],
  ["Botswana", "博茨瓦纳"],
  ["Brazil", "巴西"],
  ["Brunei Darussalam", "文莱达鲁萨兰国", "Brunei", "文莱"],
  ["Bulgaria", "保加利亚"],
  ["Burkina Faso", "布基纳法索"],
  ["Burundi", "布隆迪"],
  ["Cabo Verde", "佛得角", "Cape Verde"],
  ["Cambodia", "柬埔寨"],
  ["Cameroon", "喀麦隆"],
  ["Canada", "加拿大"],
  ["Central African Republic", "中非共和国", "CAR"],
  ["Chad", "乍得"],
  ["Chile", "智利"],
  ["China", "中国", "中华人民共和国", "People's Republic of China", "PRC"],
  ["Colombia", "哥伦比亚"],
  ["Comoros", "科摩罗"],
  ["Congo", "刚果", "Republic of the Congo", "刚果（布）", "刚果(布)"],
  ["Costa Rica", "哥斯达黎加"],
  ["Côte d'Ivoire", "科特迪瓦", "Cote d'Ivoire", "Côte d’Ivoire", "Ivory Coast"],
  ["Croatia", "克罗地亚"],
  ["Cuba", "古巴"],
  ["Cyprus", "塞浦路斯"],
  ["Czechia", "捷克", "Czech Republic", "捷克共和国"],
  [
    "Democratic People's Republic of Korea",
    "朝鲜民主主义人民共和国",
    "朝鲜",
    "DPRK",
    "North Korea",
    "Democratic People’s Republic of Korea",
  ],
  [
    "Democratic Republic of the Congo",
    "刚果民主共和国",
    "DRC",
    "DR Congo",
    "刚果（金）",
    "刚果(金)",
  ],
  ["Denmark", "丹麦"],
  ["Djibouti", "吉布提"],
  ["Dominica", "多米尼克"],
  ["Dominican Republic", "多米尼加共和国", "多米尼加"],
  ["Ecuador", "厄瓜多尔"],
  ["Egypt", "埃及"],
  ["El Salvador", "萨尔瓦多"],
  ["Equatorial Guinea", "赤道几内亚"],
  ["Eritrea", "厄立特里亚"],
  ["Estonia", "爱沙尼亚"],
  ["Eswatini", "斯威士兰", "Swaziland", "埃斯瓦蒂尼"],
  ["Ethiopia", "埃塞俄比亚"],
  ["Fiji", "斐济"],
  ["Finland", "芬兰"],
  ["France", "法国", "法兰西共和国"],
  ["Gabon", "加蓬"],
  ["Gambia", "冈比亚", "The Gambia"],
  ["Georgia", "格鲁吉亚"],
  ["Germany", "德国", "德意志联邦共和国"],
  ["Ghana", "加纳"],
  ["Greece", "希腊"],
  ["Grenada", "格林纳达"],
  ["Guatemala", "危地马拉"],
  ["Guinea", "几内亚"],
  ["Guinea-Bissau", "几内亚比绍"],
  ["Guyana", "圭亚那"],
  ["Haiti", "海地"],
  ["Honduras", "洪都拉斯"],
  ["Hungary", "匈牙利"],
  ["Iceland", "冰岛"],
  ["India", "印度"],
  ["Indonesia", "印度尼西亚", "印尼"],
  ["Iran (Islamic Republic of)", "伊朗伊斯兰共和国", "Iran", "伊朗", "Islamic Republic of Iran"],
  ["Iraq", "伊拉克"],
  ["Ireland", "爱尔兰"],
  ["Israel", "以色列"],
  ["Italy", "意大利"],
  ["Jamaica", "牙买加"],
  ["Japan", "日本"],
  ["Jordan", "约旦"],
  ["Kazakhstan", "哈萨克斯坦"],
  ["Kenya", "肯尼亚"],
  ["Kiribati", "基里巴斯"],
  ["Kuwait", "科威特"],
  ["Kyrgyzstan", "吉尔吉斯斯坦"],
  ["Lao People's Democratic Republic", "老挝人民民主共和国", "Laos", "老挝", "Lao PDR"],
  ["Latvia", "拉脱维亚"],
  ["Lebanon", "黎巴嫩"],
  ["Lesotho", "莱索托"],
  ["Liberia", "利比里亚"],
  ["Libya", "利比亚"],
  ["Liechtenstein", "列支敦士登"],
  ["Lithuania", "立陶宛"],
  ["Luxembourg", "卢森堡"],
  ["Madagascar", "马达加斯加"],
  ["Malawi", "马拉维"],
  ["Malaysia", "马来西亚"],
  ["Maldives", "马尔代夫"],
  ["Mali", "马里"],
  ["Malta", "马耳他"],
  ["Marshall Islands", "马绍尔群岛"],
  ["Mauritania", "毛里塔尼亚"],
  ["Mauritius", "毛里求斯"],
  ["Mexico", "墨西哥"],
  ["Micronesia (Federated States of)", "密克罗尼西亚联邦", "Micronesia", "密克罗尼西亚"],
  ["Monaco", "摩纳哥"],
  ["Mongolia", "蒙古", "蒙古国"],
  ["Montenegro", "黑山"],
  ["Morocco", "摩洛哥"],
  ["Mozambique", "莫桑比克"],
  ["Myanmar", "缅甸"],
  ["Namibia", "纳米比亚"],
  ["Nauru", "瑙鲁"],
  ["Nepal", "尼泊尔"],
  ["Netherlands (Kingdom of the)", "荷兰王国", "Netherlands", "荷兰", "The Netherlands"],
  ["New Zealand", "新西兰"],
  ["Nicaragua", "尼加拉瓜"],
  ["Niger", "尼日尔"],
  ["Nigeria", "尼日利亚"],
  ["North Macedonia", "北马其顿", "北马其顿共和国"],
  ["Norway", "挪威"],
  ["Oman", "阿曼"],
  ["Pakistan", "巴基斯坦"],
  ["Palau", "帕劳"],
  ["Panama", "巴拿马"],
  ["Papua New Guinea", "巴布亚新几内亚", "PNG"],
  ["Paraguay", "巴拉圭"],
  ["Peru", "秘鲁"],
  ["Philippines", "菲律宾"],
  ["Poland", "波兰"],
  ["Portugal", "葡萄牙"],
  ["Qatar", "卡塔尔"],
  ["Republic of Korea", "大韩民国", "韩国", "Korea", "South Korea", "ROK"],
  ["Republic of Moldova", "摩尔多瓦共和国", "Moldova", "摩尔多瓦"],
  ["Romania", "罗马尼亚"],
  ["Russian Federation", "俄罗斯联邦", "俄罗斯", "俄联邦", "Russia"],
  ["Rwanda", "卢旺达"],
  ["Saint Kitts and Nevis", "圣基茨和尼维斯"],
  ["Saint Lucia", "圣卢西亚"],
  ["Saint Vincent and the Grenadines", "圣文森特和格林纳丁斯"],
  ["Samoa", "萨摩亚"],
  ["San Marino", "圣马力诺"],
  ["Sao Tome and Principe", "圣多美和普林西比", "São Tomé and Príncipe"],
  ["Saudi Arabia", "沙特阿拉伯", "沙特"],
  ["Senegal", "塞内加尔"],
  ["Serbia", "塞尔维亚"],
  ["Seychelles", "塞舌尔"],
  ["Sierra Leone", "塞拉利昂"],
  ["Singapore", "新加坡"],
  ["Slovakia", "斯洛伐克"],
  ["Slovenia", "斯洛文尼亚"],
  ["Solomon Islands", "所罗门群岛"],
  ["Somalia", "索马里"],
  ["South Africa", "南非"],
  ["South Sudan", "南苏丹"],
  ["Spain", "西班牙"],
  ["Sri Lanka", "斯里兰卡"],
  ["Sudan", "苏丹"],
  ["Suriname", "苏里南"],
  ["Sweden", "瑞典"],
  ["Switzerland", "瑞士"],
  ["Syrian Arab Republic", "阿拉伯叙利亚共和国", "Syria", "叙利亚"],
  ["Tajikistan", "塔吉克斯坦"],
  ["Thailand", "泰国"],
  ["Timor-Leste", "东帝汶", "East Timor"],
  ["Togo", "多哥"],
  ["Tonga", "汤加"],
  ["Trinidad and Tobago", "特立尼达和多巴哥"],
  ["Tunisia", "突尼斯"],
  ["Türkiye", "土耳其", "Turkey", "Turkiye"],
  ["Turkmenistan", "土库曼斯坦"],
  ["Tuvalu", "图瓦卢"],
  ["Uganda", "乌干达"],
  ["Ukraine", "乌克兰"],
  ["United Arab Emirates", "阿拉伯联合酋长国", "阿联酋", "UAE", "U.A.E."],
  [
    "United Kingdom of Great Britain and Northern Ireland",
    "大不列颠及北爱尔兰联合王国",
    "英国",
    "UK",
    "U.K.",
    "United Kingdom",
    "Great Britain",
  ],
  ["United Republic of Tanzania", "坦桑尼亚联合共和国", "Tanzania", "坦桑尼亚"],
  [
    "United States of America",
    "美利坚合众国",
    "美国",
    "United States",
    "USA",
    "US",
    "U.S.",
    "U.S.A.",
  ],
  ["Uruguay", "乌拉圭"],
  ["Uzbekistan", "乌兹别克斯坦"],
  ["Vanuatu", "瓦努阿图"],
  ["Venezuela (Bolivarian Republic of)", "委内瑞拉玻利瓦尔共和国", "Venezuela", "委内瑞拉"],
  ["Viet Nam", "越南", "Vietnam"],
  ["Yemen", "也门"],
  ["Zambia", "赞比亚"],
  ["Zimbabwe", "津巴布韦"],
];

// Non-member observer states, which speak in most negotiations.
const observers: readonly Row[] = [
  ["Holy See", "教廷", "Vatican", "梵蒂冈"],
  ["State of Palestine", "巴勒斯坦国", "Palestine", "巴勒斯坦"],
];

// Negotiating groups as drafts name them; the key is the form delegates use on the floor.
const groups: readonly Row[] = [
  ["African Group", "非洲集团", "Africa Group", "非洲组", "African Group of Negotiators", "AGN"],
  [
    "Asia-Pacific Group",
    "亚洲及太平洋集团",
    "亚太集团",
    "Asia and the Pacific Group",
    "Asia-Pacific",
    "APG",
  ],
  [
    "GRULAC",
    "拉丁美洲和加勒比国家集团",
    "拉美和加勒比国家集团",
    "拉美集团",
    "Group of Latin American and Caribbean Countries",
    "Latin American and Caribbean Group",
  ],
  ["Group B", "B 集团", "B集团"],
  ["CEBS", "中欧和波罗的海国家集团", "Central European and Baltic States"],
  [
    "CACEET",
    "中亚、高加索和东欧国家集团",
    "Group of Central Asian, Caucasus and Eastern European Countries",
  ],
  [
    "G77 and China",
    "77 国集团和中国",
    "77国集团和中国",
    "七十七国集团和中国",
    "Group of 77 and China",
    "G-77 and China",
    "G-77/China",
    "G77/China",
    "G77",
    "G-77",
    "77 国集团",
    "77国集团",
  ],
  ["European Union", "欧洲联盟", "欧盟", "EU", "E.U."],
  [
    "LMDC",
    "立场相近发展中国家",
    "LMDCs",
    "Like-Minded Developing Countries",
    "Like-minded Developing Countries",
  ],
  ["AOSIS", "小岛屿国家联盟", "Alliance of Small Island States"],
  ["LDCs", "最不发达国家", "LDC", "Least Developed Countries", "LDC Group", "最不发达国家集团"],
  ["Arab Group", "阿拉伯集团", "Arab States", "阿拉伯国家集团"],
  ["Umbrella Group", "伞形集团"],
  [
    "AILAC",
    "拉丁美洲和加勒比独立协会",
    "Independent Association of Latin America and the Caribbean",
  ],
  ["ALBA", "美洲玻利瓦尔联盟", "Bolivarian Alliance for the Peoples of Our America"],
  ["BASIC", "基础四国"],
  ["Environmental Integrity Group", "环境完整性集团", "EIG"],
  ["Development Agenda Group", "发展议程集团", "DAG"],
  ["Coalition for Rainforest Nations", "雨林国家联盟", "CfRN"],
];

// Organs of the meeting: they write chair's texts and notes, and record what was said.
const organs: readonly Row[] = [
  ["Chair", "主席", "Chairperson", "Chairman", "Chairwoman", "Co-Chairs", "PBC 主席", "PBC主席"],
  ["Secretariat", "秘书处"],
];

function info(rows: readonly Row[], kind: PartyInfo["kind"]): PartyInfo[] {
  return rows.map(([en, zh, ...aliases]) => ({ en, zh, aliases, kind }));
}

/** Every known party: member states, observer states, groups, then the meeting's organs. */
export const parties: readonly PartyInfo[] = [
  ...info(states, "state"),
  ...info(observers, "observer"),
  ...info(groups, "group"),
  ...info(organs, "organ"),
];

// Acronyms ("US", "EU", "UK") are matched only in capitals, so that the words "us" or
// "uk" in running English text are not taken for a party.
const isAcronym = (name: string): boolean => /^[A-Z0-9.\-/]+$/.test(name) && /[A-Z]/.test(name);
const fold = (name: string): string => name.normalize("NFC").replace(/’/g, "'").toLowerCase();

const byName = new Map<string, PartyInfo>();
const acronyms = new Map<string, PartyInfo>();
/** Every (name, party) pair, longest name first, for prefix matching in running text. */
const allNames: { name: string; folded: string; acronym: boolean; party: PartyInfo }[] = [];
for (const party of parties) {
  for (const name of [party.en, party.zh, ...party.aliases]) {
    const acronym = isAcronym(name);
    if (acronym) acronyms.set(name, party);
    else byName.set(fold(name), party);
    allNames.push({ name, folded: fold(name), acronym, party });
  }
}
allNames.sort((a, b) => b.name.length - a.name.length);
// The names by their first character, longest first, so that matching at a position only
// tries the few names that can start there: the importer asks at every bracket and line.
const byFirst = new Map<string, typeof allNames>();
for (const entry of allNames) {
  const first = entry.folded[0]!;
  const list = byFirst.get(first) ?? [];
  list.push(entry);
  byFirst.set(first, list);
}

/**
 * The party a name or alias refers to, or null if unknown. Names match case-insensitively
 * and ignoring surrounding space; acronyms ("US", "EU") match only as written in capitals.
 */
export function findParty(name: string): PartyInfo | null {
  const trimmed = name.trim();
  return acronyms.get(trimmed) ?? byName.get(fold(trimmed)) ?? null;
}

/** A party name found in running text: the party and how many characters it spans. */
export interface PartyMatch {
  readonly party: PartyInfo;
  /** The words as written in the text. */
  readonly text: string;
  /** The length in UTF-16 code units of `text`. */
  readonly length: number;
}

const isWordChar = (ch: string | undefined): boolean => !!ch && /[A-Za-z0-9À-ɏ]/.test(ch);

/**
 * The longest party name that starts at `index` of `text` ("俄罗斯联邦" rather than
 * "俄罗斯", "Iran (Islamic Republic of)" rather than "Iran"), or null if none does. Names
 * in Latin script must stand as whole words, so "US" is not found in "USE" nor "Chad" in
 * "Chadian"; Chinese has no word boundaries, so Chinese names match anywhere.
 */
export function matchPartyAt(text: string, index: number): PartyMatch | null {
  if (index < 0 || index > text.length) {
    throw new RangeError(`Index ${index} is outside a text of length ${text.length}`);
  }
  const first = text[index];
  if (first === undefined) return null;
  const latinStart = isWordChar(first);
  if (latinStart && isWordChar(text[index - 1])) return null;
  for (const entry of byFirst.get(fold(first)) ?? []) {
    const slice = text.slice(index, index + entry.name.length);
    if (slice.length !== entry.name.length) continue;
    const same = entry.acronym ? slice === entry.name : fold(slice) === entry.folded;
    if (!same) continue;
    const lastIsWord = isWordChar(entry.name[entry.name.length - 1]);
    if (lastIsWord && isWordChar(text[index + entry.name.length])) continue;
    return { party: entry.party, text: slice, length: slice.length };
  }
  return null;
}

/**
 * A party's display name in `lang`: the English UN short name, or the UN Chinese short
 * name. `party` may be the key or any alias; an unknown party is shown as given, since
 * drafts name parties Parley may not know.
 */
export function partyName(party: string, lang: "zh" | "en"): string {
  const found = findParty(party);
  if (!found) return party;
  return lang === "zh" ? found.zh : found.en;
}

/**
 * The English key of a party named in any language or alias ("俄罗斯" → "Russian
 * Federation"), or null when the name is not in the roster.
 */
export function partyKey(name: string): string | null {
  return findParty(name)?.en ?? null;
}
