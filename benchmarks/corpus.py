"""A synthetic corpus in yeonpyo's content format, and the same events as a Hugo site.

Everything comes from one seeded `random.Random`, so a size always gives the same files.
Bodies are built from sentence templates filled from pools (organisations, people,
outlets, topics, products, numbers, dates), in Korean with the right particles and in
English, so no two paragraphs are alike and the Markdown renderer sees realistic text:
2–3 paragraphs per language, 1–3 citations per paragraph, some `[@a; @b]` groups,
some `> [!NOTE]` / `> [!DISPUTED]` asides, emphasis and links.
"""

from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

SITE_ZONE = "America/Los_Angeles"
FIRST_DAY, LAST_DAY = date(2015, 1, 1), date(2024, 12, 31)

# --- pools --------------------------------------------------------------------------------

ORGS = [  # (en, ko)
    ("Northwind Labs", "노스윈드 랩스"), ("Helix Robotics", "헬릭스 로보틱스"),
    ("Bluewater Capital", "블루워터 캐피털"), ("the Meridian Institute", "메리디언 연구소"),
    ("Solstice Semiconductor", "솔스티스 반도체"), ("Hanbit Electronics", "한빛전자"),
    ("Daon Bank", "다온은행"), ("the Seoul Data Institute", "서울데이터연구원"),
    ("Cascade Cloud", "캐스케이드 클라우드"), ("Aurora Health", "오로라 헬스"),
    ("Pinecrest University", "파인크레스트 대학교"), ("Greenfield Energy", "그린필드 에너지"),
    ("Orbit Mobility", "오빗 모빌리티"), ("Nuri Telecom", "누리텔레콤"),
    ("Vantage Media", "밴티지 미디어"), ("the Fair Trade Commission", "공정거래위원회"),
    ("the Ministry of Science and ICT", "과학기술정보통신부"), ("the European Commission", "유럽연합 집행위원회"),
    ("the Federal Trade Commission", "미국 연방거래위원회"), ("the Lumen Foundation", "루멘 재단"),
    ("Kestrel Systems", "케스트럴 시스템스"), ("Mirae Venture Partners", "미래벤처파트너스"),
]
FIRST_NAMES = [("Daniel", "대니얼"), ("Sarah", "세라"), ("Michael", "마이클"), ("Laura", "로라"),
               ("Kevin", "케빈"), ("Emily", "에밀리"), ("David", "데이비드"), ("Rachel", "레이철"),
               ("Thomas", "토머스"), ("Olivia", "올리비아"), ("Martin", "마틴"), ("Grace", "그레이스")]
LAST_NAMES = [("Chen", "천"), ("Walker", "워커"), ("Novak", "노박"), ("Ortiz", "오티스"),
              ("Fischer", "피셔"), ("Hughes", "휴스")]
KOREAN_PEOPLE = [("Kim Min-jun", "김민준"), ("Lee Seo-yeon", "이서연"), ("Park Ji-hoon", "박지훈"),
                 ("Choi Yu-na", "최유나"), ("Jung Ha-eun", "정하은"), ("Kang Do-hyun", "강도현"),
                 ("Yoon Su-bin", "윤수빈"), ("Han Jae-won", "한재원"), ("Oh Ji-woo", "오지우"),
                 ("Shin Hye-jin", "신혜진")]
ROLES = [("chief executive", "최고경영자"), ("chair of the board", "이사회 의장"),
         ("chief technology officer", "최고기술책임자"), ("general counsel", "법무 책임자"),
         ("lead investor", "주요 투자자"), ("head of research", "연구 책임자"),
         ("independent director", "사외이사"), ("regulator", "규제 담당관")]
OUTLETS = [("Yonhap News", "연합뉴스", "ko"), ("The Korea Herald", "코리아헤럴드", "en"),
           ("Reuters", "로이터", "en"), ("Bloomberg", "블룸버그", "en"),
           ("The Financial Times", "파이낸셜타임스", "en"), ("Hankyoreh", "한겨레", "ko"),
           ("Chosun Ilbo", "조선일보", "ko"), ("The Verge", "더버지", "en"),
           ("TechCrunch", "테크크런치", "en"), ("Nikkei Asia", "닛케이아시아", "en"),
           ("The Guardian", "가디언", "en"), ("Maeil Business", "매일경제", "ko"),
           ("The Wall Street Journal", "월스트리트저널", "en"), ("Business Insider", "비즈니스인사이더", "en"),
           ("ZDNet Korea", "지디넷코리아", "ko"), ("Electronic Times", "전자신문", "ko")]
TOPICS = [("AI safety", "AI 안전"), ("data privacy", "개인정보 보호"), ("corporate governance", "기업 지배구조"),
          ("market concentration", "시장 집중"), ("chip export controls", "반도체 수출 통제"),
          ("platform regulation", "플랫폼 규제"), ("labour rights", "노동권"), ("energy use", "에너지 사용"),
          ("open-source licensing", "오픈소스 라이선스"), ("copyright", "저작권"),
          ("content moderation", "콘텐츠 관리"), ("shareholder rights", "주주 권리")]
PRODUCTS = [("a chat assistant", "대화형 비서"), ("a cloud platform", "클라우드 플랫폼"),
            ("an open model", "공개 모델"), ("a payments app", "결제 앱"), ("a home robot", "가정용 로봇"),
            ("a data centre in Busan", "부산 데이터센터"), ("a translation service", "번역 서비스"),
            ("a self-driving shuttle", "자율주행 셔틀"), ("a research lab in Toronto", "토론토 연구소"),
            ("a medical imaging tool", "의료 영상 도구")]
QUOTES = [("We will not rush this.", "서두르지 않겠다."), ("The board acted within its mandate.", "이사회는 권한 안에서 움직였다."),
          ("This was never about money.", "돈의 문제가 아니었다."), ("We owe our users an explanation.", "이용자들에게 설명할 책임이 있다."),
          ("I learned about it from the news.", "뉴스를 보고 알았다."), ("Safety comes first, then speed.", "안전이 먼저고 속도는 그다음이다."),
          ("Nothing about the plan has changed.", "계획은 달라진 것이 없다."), ("We disagree with the ruling.", "판결에 동의하지 않는다.")]
TAGS = [("board", "Board", "이사회"), ("leadership", "Leadership", "경영진"), ("funding", "Funding", "투자"),
        ("regulation", "Regulation", "규제"), ("lawsuit", "Lawsuit", "소송"), ("product", "Products", "제품"),
        ("research", "Research", "연구"), ("safety", "Safety", "안전"), ("labour", "Labour", "노동"),
        ("markets", "Markets", "시장"), ("partnership", "Partnerships", "제휴"), ("policy", "Policy", "정책")]
MONTHS_EN = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
             "October", "November", "December"]
ZONES = ["America/Los_Angeles", "America/New_York", "Asia/Seoul", "Europe/London", None]
NUMBER_WORDS = ["two", "three", "four", "five", "six"]


# --- Korean particles -----------------------------------------------------------------------

def _final(word: str) -> int | None:
    """The final consonant index of the last Hangul syllable (0 = none); None for non-Hangul."""
    last = word.rstrip()[-1]
    code = ord(last) - 0xAC00
    if 0 <= code < 11172:
        return code % 28
    if last.isdigit():  # read as Sino-Korean: 0 영, 1 일, 3 삼, 6 육, 7 칠, 8 팔 end in a consonant
        return 0 if last in "2459" else 1
    return 0


def josa(word: str, with_final: str, without: str) -> str:
    """`word` with the right form of a particle: 은/는, 이/가, 을/를, 과/와, 으로/로."""
    final = _final(word)
    if with_final == "으로":
        return word + ("로" if final in (0, 8) else "으로")  # ㄹ (8) takes 로
    return word + (with_final if final else without)


def cap(text: str) -> str:
    return text[:1].upper() + text[1:]


# --- the corpus -------------------------------------------------------------------------------

@dataclass
class Source:
    key: str
    title_en: str
    title_ko: str
    publisher_en: str
    publisher_ko: str
    lang: str
    day: date
    month_only: bool
    url: str
    archive: str | None


@dataclass
class Event:
    slug: str
    folder: str
    date_text: str               # as written in front matter
    end_text: str | None
    tz: str | None
    approximate: bool
    start: datetime              # aware, for Hugo's front matter
    title_en: str
    title_ko: str
    tags: list[str]
    people: list[str]
    body_ko: str
    body_en: str
    cited: list[str] = field(default_factory=list)


@dataclass
class Corpus:
    size: int
    sources: list[Source]
    people: dict[str, tuple[str, str, str, str, str]]  # key -> en name, ko name, en role, ko role, variant
    events: list[Event]
    pages: list[tuple[str, int, str, str, str, str]]    # slug, order, title en, title ko, body ko, body en
    edit_slug: str = ""                                  # the event the serve benchmark edits


def _people(rng: random.Random) -> dict[str, tuple[str, str, str, str, str]]:
    people = {}
    for first, first_ko in FIRST_NAMES:
        for last, last_ko in rng.sample(LAST_NAMES, 2):
            role, role_ko = rng.choice(ROLES)
            key = f"{first}-{last}".lower()
            people[key] = (f"{first} {last}", f"{first_ko} {last_ko}", role, role_ko, f"{first_ko}{last_ko}씨")
    for name, name_ko in KOREAN_PEOPLE:
        role, role_ko = rng.choice(ROLES)
        people[name.lower().replace(" ", "-")] = (name, name_ko, role, role_ko, f"{name_ko[0]} {name_ko[1:]}씨")
    return people


def _sources(rng: random.Random, count: int) -> list[Source]:
    sources = []
    for n in range(count):
        outlet_en, outlet_ko, lang = rng.choice(OUTLETS)
        org_en, org_ko = rng.choice(ORGS)
        topic_en, topic_ko = rng.choice(TOPICS)
        day = FIRST_DAY + timedelta(days=rng.randrange((LAST_DAY - FIRST_DAY).days))
        kind = rng.randrange(4)
        if kind == 0:
            title_en, title_ko = f"{cap(org_en)} faces questions over {topic_en}", f"{josa(org_ko, '이', '가')} 마주한 {topic_ko} 질문"
        elif kind == 1:
            title_en, title_ko = f"Inside the fight over {topic_en} at {org_en}", f"{org_ko} 내부의 {topic_ko} 논쟁"
        elif kind == 2:
            title_en, title_ko = f"What {org_en} told investors", f"{josa(org_ko, '이', '가')} 투자자들에게 한 말"
        else:
            title_en, title_ko = f"{cap(org_en)}: a timeline of {topic_en}", f"{org_ko}와 {topic_ko}, 연표로 보기"
        key = f"{re.sub(r'[^a-z0-9]+', '-', outlet_en.lower()).strip('-')}-{day.isoformat()}-{n}"
        sources.append(Source(key, title_en, title_ko, outlet_en, outlet_ko, lang, day, rng.random() < 0.15,
                              f"https://news.example.com/{key}", f"https://archive.example.org/{key}" if rng.random() < 0.3 else None))
    return sources


class _Writer:
    """Fills sentence templates for one event, in both languages, with citations."""

    def __init__(self, rng: random.Random, event_orgs, person, when_en: str, when_ko: str, year: int) -> None:
        self.rng = rng
        (self.org, self.org_ko), (self.org2, self.org2_ko) = event_orgs
        self.person, self.person_ko, self.role, self.role_ko = person
        self.when_en, self.when_ko, self.year = when_en, when_ko, year
        self.used: set[int] = set()  # no template twice in one document

    def sentence(self) -> tuple[str, str]:
        r = self.rng
        topic, topic_ko = r.choice(TOPICS)
        product, product_ko = r.choice(PRODUCTS)
        outlet, outlet_ko, _ = r.choice(OUTLETS)
        quote, quote_ko = r.choice(QUOTES)
        number, pct, days, weeks = r.randrange(12, 900), r.randrange(2, 31), r.randrange(7, 60), r.randrange(2, 9)
        money = r.randrange(1, 90) * 10
        month = r.randrange(1, 13)
        o, o2, p = self.org, self.org2, self.person
        ok, o2k, pk = self.org_ko, self.org2_ko, self.person_ko
        choices = [
            (f"{cap(o)} issued a statement on {topic} {self.when_en}.",
             f"{josa(ok, '은', '는')} {self.when_ko} {topic_ko}에 관한 입장을 발표했다."),
            (f"{p} told reporters: \"{quote}\"",
             f"{josa(pk, '은', '는')} 기자들에게 \"{quote_ko}\"라고 말했다."),
            (f"According to {outlet}, {o} had told more than {number} employees about the decision in advance.",
             f"{outlet_ko}에 따르면 {josa(ok, '은', '는')} {number}명 이상의 직원에게 이 결정을 미리 알렸다."),
            (f"The deal was reported to be worth about ${money} million.",
             f"이 거래의 규모는 약 {money}00만 달러로 알려졌다."),
            (f"{cap(o2)} declined to comment.", f"{josa(o2k, '은', '는')} 논평을 거부했다."),
            (f"{p}, as {self.role}, led the process.", f"{josa(pk, '은', '는')} {josa(self.role_ko, '으로', '로')}서 이 과정을 이끌었다."),
            (f"{cap(o)}'s shares {'fell' if pct % 2 else 'rose'} {pct}% in a single day.",
             f"시장에서는 {ok}의 주가가 하루 만에 {pct}% {'떨어졌다' if pct % 2 else '올랐다'}."),
            (f"Industry observers expected the move to deepen the debate over {topic}.",
             f"업계 관계자들은 이번 조치가 {josa(topic_ko, '을', '를')} 둘러싼 논쟁을 키울 것으로 내다봤다."),
            (f"{cap(o)} had unveiled {product} in {MONTHS_EN[month - 1]} of the same year.",
             f"{josa(ok, '은', '는')} 같은 해 {month}월 {josa(product_ko, '을', '를')} 공개한 바 있다."),
            (f"{p} later explained the sequence of events in a blog post.",
             f"{josa(pk, '은', '는')} 이후 자신의 블로그에 경위를 설명하는 글을 올렸다."),
            (f"Regulators gave {o} {days} days to hand over documents.",
             f"규제 당국은 {ok}에 {days}일 안에 자료를 제출하라고 요구했다."),
            (f"Talks between {o} and {o2} had run for more than {weeks} weeks.",
             f"{josa(ok, '과', '와')} {o2k}의 협상은 {weeks}주 넘게 이어졌다."),
            (f"Internal documents show the plan had been under review since {self.year - r.randrange(1, 4)}.",
             f"내부 문서에 따르면 이 계획은 {self.year - r.randrange(1, 4)}년부터 검토돼 왔다."),
            (f"{outlet}, citing {r.choice(NUMBER_WORDS)} people familiar with the matter, reported that the board was split until just before the vote.",
             f"{josa(outlet_ko, '은', '는')} 익명의 소식통들을 인용해 이사회가 표결 직전까지 의견이 갈렸다고 전했다."),
            (f"Right after the announcement, {number} of {o}'s customers asked to review their contracts.",
             f"발표 직후 {ok}의 고객 {number}곳이 계약 조건을 다시 확인했다."),
            (f"{cap(o)} decided to push back the schedule for **{product.split(' ', 1)[1]}** by {weeks} months.",
             f"{josa(ok, '은', '는')} **{product_ko}** 개발 일정을 {weeks}개월 늦추기로 했다."),
            (f"The details are in [{o}'s announcement](https://example.com/{outlet.lower().replace(' ', '-')}/{number}).",
             f"자세한 내용은 [{ok}의 발표문](https://example.com/{outlet.lower().replace(' ', '-')}/{number})에 있다."),
            (f"The episode became a common reference point in debates over *{topic}*.",
             f"이 일은 *{topic_ko}* 논의에서 자주 인용되는 사례가 됐다."),
            (f"People close to {p} disputed the report.", f"{pk}의 측근들은 이 보도가 사실과 다르다고 반박했다."),
            (f"{cap(o)} said {product} would reach {number} thousand users by the end of {self.year + 1}.",
             f"{josa(ok, '은', '는')} {self.year + 1}년 말까지 {josa(product_ko, '이', '가')} 이용자 {number}000명에 이를 것이라고 밝혔다."),
        ]
        fresh = [i for i in range(len(choices)) if i not in self.used] or list(range(len(choices)))
        pick = r.choice(fresh)
        self.used.add(pick)
        return choices[pick]

    def paragraph(self, cite: list[str]) -> tuple[str, str]:
        """2–4 sentences; the keys in `cite` (1–3) are attached after some of them."""
        count = self.rng.randrange(2, 5)
        pairs = [self.sentence() for _ in range(count)]
        slots: dict[int, list[str]] = {}
        for index, key in enumerate(cite):  # the first key on the first sentence, the rest spread out
            at = 0 if index == 0 else self.rng.randrange(count)
            slots.setdefault(at, []).append(key)
        en, ko = [], []
        for index, (s_en, s_ko) in enumerate(pairs):
            mark = ""
            if index in slots:
                mark = "[" + "; ".join(f"@{k}" for k in slots[index]) + "]"
            en.append(s_en + mark)
            ko.append(s_ko + mark)
        return " ".join(ko), " ".join(en)

    def aside(self, cite: list[str]) -> tuple[str, str]:
        r = self.rng
        (a, a_ko, _), (b, b_ko, _) = r.sample(OUTLETS, 2)
        n1, n2 = r.randrange(100, 700), r.randrange(100, 700)
        mark = "[" + "; ".join(f"@{k}" for k in cite) + "]"
        if r.random() < 0.5:
            return (f"> [!DISPUTED]\n> {josa(a_ko, '은', '는')} {n1}명이라고 보도했지만 {josa(b_ko, '은', '는')} {n2}명이라고 전했다.{mark}",
                    f"> [!DISPUTED]\n> {a} reported {n1} people, while {b} put the figure at {n2}.{mark}")
        return (f"> [!NOTE]\n> {josa(a_ko, '은', '는')} 이 시각을 시간대 없이 적었다. 여기서는 {self.when_ko} 현지 시각으로 읽었다.{mark}",
                f"> [!NOTE]\n> {a} gave the time without a time zone; it is read here as local time {self.when_en}.{mark}")


def _when(rng: random.Random, index: int, size: int):
    """The event's date as written, its precision texts, start instant, zone, and optional end."""
    span_days = (LAST_DAY - FIRST_DAY).days
    # spread evenly over the decade with jitter, so every era gets events
    day = FIRST_DAY + timedelta(days=min(span_days, max(0, int(span_days * (index + rng.random()) / size))))
    roll = rng.random()
    tz = None
    if roll < 0.04:
        text, when_en, when_ko = f"{day.year}", f"in {day.year}", f"{day.year}년"
        start = datetime(day.year, 1, 1)
    elif roll < 0.12:
        text, when_en, when_ko = f"{day:%Y-%m}", f"in {MONTHS_EN[day.month - 1]} {day.year}", f"{day.year}년 {day.month}월"
        start = datetime(day.year, day.month, 1)
    elif roll < 0.75:
        text = day.isoformat()
        when_en, when_ko = f"on {MONTHS_EN[day.month - 1]} {day.day}, {day.year}", f"{day.year}년 {day.month}월 {day.day}일"
        start = datetime(day.year, day.month, day.day)
    else:  # minute precision, away from the decade's first and last days so every zone stays in an era
        day = min(max(day, FIRST_DAY + timedelta(days=3)), LAST_DAY - timedelta(days=3))
        hour, minute = rng.randrange(6, 23), rng.choice([0, 5, 10, 15, 20, 30, 40, 45, 50])
        tz = rng.choice(ZONES)
        text = f"{day.isoformat()} {hour:02d}:{minute:02d}"
        when_en = f"on {MONTHS_EN[day.month - 1]} {day.day}, {day.year}"
        when_ko = f"{day.year}년 {day.month}월 {day.day}일"
        start = datetime(day.year, day.month, day.day, hour, minute)
    start = start.replace(tzinfo=ZoneInfo(tz or SITE_ZONE))
    end = None
    if len(text) == 10 and rng.random() < 0.12:  # a span of a few days to a few months
        end_day = min(LAST_DAY, day + timedelta(days=rng.randrange(2, 120)))
        if end_day > day:
            end = end_day.isoformat()
    return text, end, tz, start, when_en, when_ko, day.year


def make_corpus(size: int, seed: int = 20240101) -> Corpus:
    rng = random.Random(seed * 1_000_003 + size)
    people = _people(rng)
    person_keys = sorted(people)
    sources = _sources(rng, max(4, size // 4))
    source_keys = [s.key for s in sources]
    events: list[Event] = []
    used_slugs: set[str] = set()
    for index in range(size):
        date_text, end_text, tz, start, when_en, when_ko, year = _when(rng, index, size)
        org_pair = rng.sample(ORGS, 2)
        event_people = sorted(rng.sample(person_keys, rng.randrange(1, 5)))
        lead = people[event_people[0]]
        product, product_ko = rng.choice(PRODUCTS)
        money = rng.randrange(1, 90) * 10
        (o, o_ko), (o2, o2_ko) = org_pair
        title_en, title_ko = rng.choice([
            (f"{cap(o)} announces a new board", f"{o_ko}, 새 이사회 구성 발표"),
            (f"{cap(o)} raises ${money} million", f"{o_ko}, {money}00만 달러 투자 유치"),
            (f"{cap(o)} names {lead[0]} {lead[2]}", f"{o_ko}, {josa(lead[1], '을', '를')} {lead[3]}로 선임"),
            (f"{lead[0]} leaves {o}", f"{lead[1]}, {o_ko} 떠나"),
            (f"{cap(o)} opens an investigation into {o2}", f"{o_ko}, {o2_ko} 조사 착수"),
            (f"{cap(o)} and {o2} sign a partnership", f"{o_ko}·{o2_ko} 제휴 체결"),
            (f"{cap(o)} publishes its annual report", f"{o_ko}, 연례 보고서 공개"),
            (f"{cap(o)} sues {o2}", f"{o_ko}, {o2_ko}에 소송 제기"),
            (f"{cap(o)} launches {product}", f"{o_ko}, {product_ko} 출시"),
            (f"{cap(o)} cuts {rng.randrange(20, 900)} jobs", f"{o_ko}, 인력 감축 발표"),
            (f"{cap(o)} shareholders reject the merger with {o2}", f"{o_ko} 주주들, {josa(o2_ko, '과', '와')}의 합병 부결"),
        ])
        base = re.sub(r"[^a-z0-9]+", "-", title_en.lower().replace("$", "")).strip("-")[:48].strip("-")
        slug = re.sub(r"-+", "-", f"{date_text[:10]}-{base}")
        if slug in used_slugs:
            slug = f"{slug}-{index}"
        used_slugs.add(slug)
        writer = _Writer(rng, org_pair, lead[:4], when_en, when_ko, year)
        paragraphs = rng.randrange(2, 4)
        aside_at = rng.randrange(paragraphs) if rng.random() < 0.25 else -1
        ko_parts, en_parts, cited = [], [], []
        for p in range(paragraphs):
            cite = rng.sample(source_keys, rng.randrange(1, 4))
            if p == 0:  # every source is cited at least once: event i cites source i mod n first
                first = source_keys[index % len(source_keys)]
                cite = [first] + [k for k in cite if k != first][:2]
            if p == aside_at:
                ko, en = writer.aside(cite)
            else:
                ko, en = writer.paragraph(cite)
            ko_parts.append(ko)
            en_parts.append(en)
            cited += [k for k in cite if k not in cited]
        tags = sorted(rng.sample([t[0] for t in TAGS], rng.randrange(1, 4)))
        folder = str(year)
        events.append(Event(slug, folder, date_text, end_text, tz, rng.random() < 0.05, start, title_en, title_ko,
                            tags, event_people, "\n\n".join(ko_parts), "\n\n".join(en_parts), cited))
    pages = []
    for order, (slug, t_en, t_ko) in enumerate([("about", "About this timeline", "이 연표에 대하여"),
                                                 ("method", "How sources are weighed", "출처를 다루는 방법")], 1):
        writer = _Writer(rng, rng.sample(ORGS, 2), people[person_keys[order]][:4], "in 2020", "2020년", 2020)
        ko_parts, en_parts = [], []
        for _ in range(3):
            ko, en = writer.paragraph(rng.sample(source_keys, rng.randrange(1, 4)))
            ko_parts.append(ko)
            en_parts.append(en)
        pages.append((slug, order, t_en, t_ko, "\n\n".join(ko_parts), "\n\n".join(en_parts)))
    edit = events[len(events) // 2]
    return Corpus(size, sources, people, events, pages, edit.slug)


def _q(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def write_yeonpyo(corpus: Corpus, root: Path) -> Path:
    """Write the corpus as a yeonpyo content folder at `root`; returns `root`."""
    (root / "events").mkdir(parents=True, exist_ok=True)
    (root / "pages").mkdir(exist_ok=True)
    eras = [(2015, 2016, "beginnings", "The beginnings", "시작"), (2017, 2018, "growth", "Growth", "성장"),
            (2019, 2020, "scrutiny", "Scrutiny", "감시의 시대"), (2021, 2022, "boom", "The boom", "호황"),
            (2023, 2024, "reckoning", "The reckoning", "재편")]
    site = ["# Synthetic benchmark corpus (benchmarks/corpus.py).",
            "title:", f"  ko: {_q(f'합성 연표 ({corpus.size}건)')}", f"  en: {_q(f'A synthetic timeline ({corpus.size} events)')}",
            "description:", "  ko: 성능 측정을 위해 만든 한영 연표.", "  en: A bilingual timeline made for benchmarks.",
            "base_url: https://example.org/bench/", "languages: [ko, en]", f"timezone: {SITE_ZONE}", "eras:"]
    for start, end, key, en, ko in eras:
        site += [f"  - key: {key}", "    title:", f"      ko: {_q(ko)}", f"      en: {_q(en)}",
                 f"    start: {start}", f"    end: {end}"]
    (root / "site.yaml").write_text("\n".join(site) + "\n", encoding="utf-8")
    lines = ["# Synthetic sources."]
    for s in corpus.sources:
        title, translated = (s.title_ko, ("title_en", s.title_en)) if s.lang == "ko" else (s.title_en, ("title_ko", s.title_ko))
        lines += [f"{s.key}:", f"  title: {_q(title)}", f"  {translated[0]}: {_q(translated[1])}",
                  f"  publisher: {_q(s.publisher_ko if s.lang == 'ko' else s.publisher_en)}",
                  f"  date: {s.day:%Y-%m}" if s.month_only else f"  date: {s.day.isoformat()}",
                  f"  lang: {s.lang}", f"  url: {s.url}"]
        if s.archive:
            lines.append(f"  archive: {s.archive}")
    (root / "sources.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    lines = ["# Synthetic people."]
    for key, (en, ko, role, role_ko, variant) in sorted(corpus.people.items()):
        lines += [f"{key}:", f"  name: {{ko: {_q(ko)}, en: {_q(en)}}}", f"  role: {{ko: {_q(role_ko)}, en: {_q(role)}}}",
                  f"  variants: {{ko: [{_q(variant)}], en: []}}"]
    (root / "people.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (root / "tags.yaml").write_text("".join(f"{k}: {{ko: {_q(ko)}, en: {_q(en)}}}\n" for k, en, ko in TAGS), encoding="utf-8")
    for e in corpus.events:
        folder = root / "events" / e.folder
        folder.mkdir(exist_ok=True)
        front = ["---", f"date: {e.date_text}"]
        if e.tz:
            front.append(f"tz: {e.tz}")
        if e.end_text:
            front.append(f"end: {e.end_text}")
        if e.approximate:
            front.append("approximate: true")
        front += ["title:", f"  ko: {_q(e.title_ko)}", f"  en: {_q(e.title_en)}",
                  f"tags: [{', '.join(e.tags)}]", f"people: [{', '.join(e.people)}]", "---"]
        text = "\n".join(front) + f"\n<!-- ko -->\n{e.body_ko}\n\n<!-- en -->\n{e.body_en}\n"
        (folder / f"{e.slug}.md").write_text(text, encoding="utf-8")
    for slug, order, t_en, t_ko, ko, en in corpus.pages:
        text = (f"---\ntitle:\n  ko: {_q(t_ko)}\n  en: {_q(t_en)}\norder: {order}\nanalysis: true\n---\n"
                f"<!-- ko -->\n{ko}\n\n<!-- en -->\n{en}\n")
        (root / "pages" / f"{slug}.md").write_text(text, encoding="utf-8")
    return root


def event_path(corpus: Corpus, root: Path, slug: str) -> Path:
    event = next(e for e in corpus.events if e.slug == slug)
    return root / "events" / event.folder / f"{slug}.md"


# --- the same site for Hugo ------------------------------------------------------------------

HUGO_CONFIG = """\
baseURL = "https://example.org/bench/"
title = "A synthetic timeline"
defaultContentLanguage = "ko"
defaultContentLanguageInSubdir = true
disableKinds = ["taxonomy", "term", "rss", "sitemap", "robotstxt"]
enableRobotsTXT = false

[languages.ko]
  title = "합성 연표"
  weight = 1
  label = "한국어"
[languages.en]
  title = "A synthetic timeline"
  weight = 2
  label = "English"

[markup.goldmark.renderer]
  unsafe = false
"""

# The same site with what ours has beyond pages: tag and person pages, feeds and a sitemap
# (Hugo's own), and, run after Hugo, a Pagefind index of the event and context pages.
HUGO_SEARCH_CONFIG = HUGO_CONFIG.replace(
    'disableKinds = ["taxonomy", "term", "rss", "sitemap", "robotstxt"]\nenableRobotsTXT = false\n',
    'enableRobotsTXT = true\n\n[taxonomies]\n  tag = "tags"\n  person = "people"\n')

HUGO_LAYOUTS = {
    "baseof.html": """\
<!doctype html>
<html lang="{{ .Language.Lang }}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ if not .IsHome }}{{ .Title }} · {{ end }}{{ site.Title }}</title>
<link rel="canonical" href="{{ .Permalink }}">
{{ range .AllTranslations }}<link rel="alternate" hreflang="{{ .Language.Lang }}" href="{{ .Permalink }}">
{{ end }}</head>
<body>
<header><a href="{{ site.Home.RelPermalink }}">{{ site.Title }}</a>
<nav>{{ range .Translations }}<a href="{{ .RelPermalink }}" hreflang="{{ .Language.Lang }}">{{ .Language.Label }}</a> {{ end }}</nav></header>
<main>{{ block "main" . }}{{ end }}</main>
</body>
</html>
""",
    "home.html": """\
{{ define "main" }}
<h1>{{ site.Title }}</h1>
<ol class="timeline">
{{ range (where site.RegularPages "Section" "events").ByDate }}
<li><article><time datetime="{{ .Date.Format "2006-01-02T15:04-07:00" }}">{{ .Date | time.Format ":date_long" }}</time>
<h2><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2>
{{ .Content }}</article></li>
{{ end }}
</ol>
{{ end }}
""",
    "list.html": """\
{{ define "main" }}
<h1>{{ .Title }}</h1>
<ol>
{{ range .Pages.ByDate }}<li><time datetime="{{ .Date.Format "2006-01-02T15:04-07:00" }}">{{ .Date | time.Format ":date_long" }}</time> <a href="{{ .RelPermalink }}">{{ .Title }}</a></li>
{{ end }}
</ol>
{{ end }}
""",
    "single.html": """\
{{ define "main" }}
<article data-pagefind-body>
<h1>{{ .Title }}</h1>
<time datetime="{{ .Date.Format "2006-01-02T15:04-07:00" }}">{{ .Date | time.Format ":date_long" }}</time>
{{ .Content }}
</article>
{{ with .PrevInSection }}<a rel="next" href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}
{{ with .NextInSection }}<a rel="prev" href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}
{{ end }}
""",
    "_markup/render-blockquote.html": """\
{{ if eq .Type "alert" }}<aside class="callout callout-{{ .AlertType }}"><p class="callout-label">{{ .AlertType }}</p>{{ .Text }}</aside>
{{ else }}<blockquote>{{ .Text }}</blockquote>
{{ end }}
""",
}

_CITE = re.compile(r"\[(@[^\]]*)\]")


def _footnotes(body: str, lang: str, sources: dict[str, Source]) -> str:
    """`[@a; @b]` -> Markdown footnote references `[^a][^b]`, definitions appended in first-use order."""
    order: list[str] = []

    def replace(m: re.Match[str]) -> str:
        keys = [part.strip().lstrip("@") for part in m.group(1).split(";")]
        order.extend(k for k in keys if k not in order)
        return "".join(f"[^{k}]" for k in keys)

    text = _CITE.sub(replace, body)
    notes = []
    for k in order:
        s = sources[k]
        publisher, title = (s.publisher_ko, s.title_ko) if lang == "ko" else (s.publisher_en, s.title_en)
        notes.append(f"[^{k}]: {publisher}, “{title}”, {s.day.isoformat()}. <{s.url}>")
    return text + "\n\n" + "\n".join(notes)


def write_hugo(corpus: Corpus, root: Path, search: bool = False) -> Path:
    """The same events (and pages) as a Hugo site: content/events/<slug>.<lang>.md, two languages.

    The home page of each language is the timeline (every event with title, date and body,
    as our timeline page has), each event has a single page (title, date, body, previous and
    next), and section lists carry titles and dates only. Taxonomies, RSS and sitemaps are
    off, unless `search`: then tags and people are taxonomies with their pages, and feeds,
    sitemap and robots.txt are on (the site the benchmark then indexes with Pagefind).
    Citations become Markdown footnotes (Hugo's nearest built-in equivalent: numbered in
    order of use, with back links); `> [!NOTE]` asides render through a blockquote hook.
    """
    (root / "content" / "events").mkdir(parents=True, exist_ok=True)
    (root / "content" / "pages").mkdir(parents=True, exist_ok=True)
    (root / "hugo.toml").write_text(HUGO_SEARCH_CONFIG if search else HUGO_CONFIG, encoding="utf-8")
    for name, text in HUGO_LAYOUTS.items():
        target = root / "layouts" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    sources = {s.key: s for s in corpus.sources}
    for lang in ("ko", "en"):
        (root / "content" / "events" / f"_index.{lang}.md").write_text(
            f"---\ntitle: {_q('연표' if lang == 'ko' else 'Timeline')}\n---\n", encoding="utf-8")
    for e in corpus.events:
        for lang, title, body in (("ko", e.title_ko, e.body_ko), ("en", e.title_en, e.body_en)):
            front = [
                "---", f"title: {_q(title)}", f"date: {e.start.isoformat(timespec='seconds')}",
                f"slug: {e.slug}", f"translationKey: {e.slug}",
                *(["params:"] if not search else []),
                f"{'' if search else '  '}tags: [{', '.join(e.tags)}]",
                f"{'' if search else '  '}people: [{', '.join(e.people)}]", "---"]
            (root / "content" / "events" / f"{e.slug}.{lang}.md").write_text(
                "\n".join(front) + "\n" + _footnotes(body, lang, sources) + "\n", encoding="utf-8")
    for slug, _order, t_en, t_ko, ko, en in corpus.pages:
        for lang, title, body in (("ko", t_ko, ko), ("en", t_en, en)):
            (root / "content" / "pages" / f"{slug}.{lang}.md").write_text(
                f"---\ntitle: {_q(title)}\ndate: 2024-01-01\n---\n{_footnotes(body, lang, sources)}\n", encoding="utf-8")
    return root
