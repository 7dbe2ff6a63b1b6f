"""The chronicle's own figures, drawn from numbers and names its cited sources report, as PNGs
beside the events that show them.

Usage: .venv/bin/python tools/figures.py [--content content]

Pillow only, with Debian's Noto Sans CJK (fonts-noto-cjk). The data are plain constants below,
each with the source keys (content/sources.yaml) that report it; change a number there, run the
script again, and commit the PNG with the change. The same input and Pillow give the same bytes.
"""

from __future__ import annotations

import argparse
import io
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

FONTS = Path("/usr/share/fonts/opentype/noto")
KOREAN = 1  # the face index of Noto Sans CJK KR in the .ttc collections
WIDTH = 1600
MARGIN = 64

PAPER = (251, 250, 247)  # the site's --paper, --ink, --muted, --rule and --accent
INK = (27, 27, 27)
MUTED = (89, 89, 89)
RULE = (217, 213, 204)
ACCENT = (164, 22, 26)
SOFT = (241, 239, 233)

# --- (a) the staff letter of Monday, Nov. 20, 2023 (events/five-days/employee-letter-threat.md) ------------
# Counts of signatures in the order the sources report them through the day, Pacific time:
# (Korean label, English label, height of the bar, the number shown).
#   505 when the letter first appeared: ibtimes-2023-11-20-employees-threaten, sfstandard-2023-11-20-staff-letter
#   about 650 of 770 at 8:12 a.m. (Lilian Weng's count), almost 700 at 9:39 a.m. (The Information's Amir
#   Efrati): ibtimes-2023-11-20-employees-threaten, sfstandard-2023-11-20-staff-letter
#   more than 700 by midday: axios-2023-11-20-staff-letter
#   738 of about 770, roughly 95 percent (Wired): wired-2023-11-20-95-percent-threaten
#   747 of 770 by the end of Monday: ars-2023-11-21-anthropic-merger
SIGNATURES = (
    ("첫 공개", "First out", 505, "505"),
    ("오전 8:12", "8:12 a.m.", 650, "~650"),
    ("오전 9:39", "9:39 a.m.", 700, "~700"),
    ("정오 무렵", "Midday", 700, "700+"),
    ("와이어드", "Wired", 738, "738"),
    ("하루 끝", "End of day", 747, "747"),
)
# About 770 employees, an OpenAI spokesperson told NBC News: nbc-2023-11-20-altman-joins-microsoft-letter
STAFF = 770
SIGNATURE_SOURCES = "IBTimes · SF Standard · Axios · Wired · Ars Technica · NBC News"

# --- (b) OpenAI's board, Nov. 2023 (events/five-days/agreement-in-principle-altman-returns.md) ------------
# Who sat on the board before the firing, after it, and on the new initial board agreed on Nov. 21:
# (Korean name, English name, seat before, seat after, seat on the new board); a seat is "member",
# "chair" or None.
#   Altman left both the CEO post and the board: itworldcanada-2023-11-17-altman-out
#   Brockman, president and board chair, was removed from the board: livemint-2023-11-18-brockman-shocked,
#   openai-2023-11-17-leadership-transition
#   The rest of the board, the four who had voted to remove Altman: cnn-2023-11-19-altman-guest-badge,
#   nyt-2023-12-09-inside-openai-crisis
#   New initial board of Bret Taylor (chair), Larry Summers and Adam D'Angelo; McCauley, Toner and Sutskever
#   leave: axios-2023-11-22-altman-return, inc-2023-11-22-altman-back-new-board
BOARD = (
    ("샘 올트먼", "Sam Altman", "member", None, None),
    ("그레그 브록먼", "Greg Brockman", "chair", None, None),
    ("일리야 수츠케버", "Ilya Sutskever", "member", "member", None),
    ("애덤 디앤젤로", "Adam D'Angelo", "member", "member", "member"),
    ("타샤 맥컬리", "Tasha McCauley", "member", "member", None),
    ("헬렌 토너", "Helen Toner", "member", "member", None),
    ("브렛 테일러", "Bret Taylor", None, None, "chair"),
    ("래리 서머스", "Larry Summers", None, None, "member"),
)
BOARD_STAGES = (("해임 전", "Before"), ("해임 뒤", "After"), ("새 이사회", "New board"))
BOARD_SOURCES = "OpenAI · IT World Canada · Mint · CNN · The New York Times · Axios · Inc."


def font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    name = "NotoSansCJK-Bold.ttc" if bold else "NotoSansCJK-Regular.ttc"
    return ImageFont.truetype(str(FONTS / name), size, index=KOREAN)


def dashed(draw: ImageDraw.ImageDraw, y: int, x0: int, x1: int, color: tuple[int, int, int], width: int = 4) -> None:
    for x in range(x0, x1, 28):
        draw.line([(x, y), (min(x + 16, x1), y)], fill=color, width=width)


def heading(draw: ImageDraw.ImageDraw, korean: str, english: str, note: str) -> int:
    """The title in both languages and a line under it; returns where the figure may start."""
    draw.text((MARGIN, 48), korean, font=font(64, True), fill=INK)
    draw.text((MARGIN, 136), english, font=font(56, True), fill=INK)
    draw.text((MARGIN, 218), note, font=font(46), fill=MUTED)
    return 310


def lines(text: str, size: int, width: int) -> list[str]:
    """`text` broken at its " · " separators into lines no wider than `width`."""
    found: list[str] = []
    for part in text.split(" · "):
        joined = f"{found[-1]} · {part}" if found else part
        if found and font(size).getlength(joined) <= width:
            found[-1] = joined
        else:
            found.append(part)
    return found


FOOTER_SIZE = 42


def footer_height(sources: str) -> int:
    return 40 + 58 * len(lines(f"출처 Sources: {sources}", FOOTER_SIZE, WIDTH - 2 * MARGIN))


def footer(draw: ImageDraw.ImageDraw, height: int, sources: str) -> None:
    found = lines(f"출처 Sources: {sources}", FOOTER_SIZE, WIDTH - 2 * MARGIN)
    top = height - footer_height(sources)
    draw.line([(MARGIN, top), (WIDTH - MARGIN, top)], fill=RULE, width=2)
    for i, line in enumerate(found):
        draw.text((MARGIN, top + 18 + 58 * i), line, font=font(FOOTER_SIZE), fill=MUTED)


def signatures() -> Image.Image:
    height = 1360 + footer_height(SIGNATURE_SOURCES)
    image = Image.new("RGB", (WIDTH, height), PAPER)
    draw = ImageDraw.Draw(image)
    top = heading(draw, "직원 연판장 서명자 수", "Staff letter: signatures",
                  "2023년 11월 20일(월), 태평양 시간 · Mon., Nov. 20, 2023, Pacific time")
    left, right = MARGIN + 120, WIDTH - MARGIN
    chart_top, base = top + 40, height - footer_height(SIGNATURE_SOURCES) - 240  # y of 900 signatures and of 0
    scale = (base - chart_top) / 900
    for value in range(0, 801, 200):
        y = round(base - value * scale)
        draw.line([(left, y), (right, y)], fill=RULE, width=2)
        draw.text((left - 24, y), str(value), font=font(42), fill=MUTED, anchor="rm")
    staff = round(base - STAFF * scale)
    dashed(draw, staff, left, right, INK)
    draw.text((left + 16, staff - 14), f"직원 약 {STAFF}명 · about {STAFF} staff", font=font(44, True), fill=INK,
              anchor="lb")
    column = (right - left) / len(SIGNATURES)
    bar = round(column * 0.7)
    for i, (korean, english, value, shown) in enumerate(SIGNATURES):
        middle = round(left + column * (i + 0.5))
        y = round(base - value * scale)
        draw.rectangle([middle - bar // 2, y, middle + bar // 2, base], fill=ACCENT)
        draw.text((middle, y + 18), shown, font=font(58, True), fill=PAPER, anchor="mt")
        draw.text((middle, base + 22), korean, font=font(46, True), fill=INK, anchor="mt")
        draw.text((middle, base + 84), english, font=font(42), fill=INK, anchor="mt")
    draw.line([(left, base), (right, base)], fill=INK, width=3)
    draw.text((MARGIN, base + 160), "보도된 순서, 시간 비례 아님 · In the order reported, not to time scale",
              font=font(44), fill=MUTED)
    footer(draw, height, SIGNATURE_SOURCES)
    return image


def board() -> Image.Image:
    row, top = 146, 310
    height = top + 170 + row * len(BOARD) + 140 + footer_height(BOARD_SOURCES)
    image = Image.new("RGB", (WIDTH, height), PAPER)
    draw = ImageDraw.Draw(image)
    heading(draw, "오픈AI 이사회, 2023년 11월", "OpenAI's board, November 2023",
            "17일 해임 · 21일 복귀 합의  |  Fired Nov. 17 · Deal for return Nov. 21")
    names_right = MARGIN + 500
    column = (WIDTH - MARGIN - names_right) / len(BOARD_STAGES)
    centres = [round(names_right + column * (i + 0.5)) for i in range(len(BOARD_STAGES))]
    for centre, (korean, english) in zip(centres, BOARD_STAGES):
        draw.text((centre, top + 20), korean, font=font(52, True), fill=INK, anchor="mt")
        draw.text((centre, top + 88), english, font=font(46), fill=INK, anchor="mt")
    first = top + 170
    draw.line([(MARGIN, first - 4), (WIDTH - MARGIN, first - 4)], fill=INK, width=3)
    counts = [0] * len(BOARD_STAGES)
    for r in range(1, len(BOARD), 2):  # every other row shaded, before any text is drawn
        draw.rectangle([MARGIN, first + r * row, WIDTH - MARGIN, first + (r + 1) * row - 1], fill=SOFT)
    for r, (korean, english, *seats) in enumerate(BOARD):
        y = first + r * row
        draw.text((MARGIN + 16, y + 12), korean, font=font(54, True), fill=INK)
        draw.text((MARGIN + 16, y + 78), english, font=font(46), fill=MUTED)
        for i, (centre, seat) in enumerate(zip(centres, seats)):
            middle = y + row // 2
            if seat is None:
                draw.line([(centre - 18, middle), (centre + 18, middle)], fill=RULE, width=5)
                continue
            counts[i] += 1
            radius = 22
            dot = centre - 84 if seat == "chair" else centre
            draw.ellipse([dot - radius, middle - radius, dot + radius, middle + radius], fill=ACCENT)
            if seat == "chair":
                draw.text((dot + 40, middle), "의장 Chair", font=font(40, True), fill=ACCENT, anchor="lm")
    last = first + row * len(BOARD)
    draw.line([(MARGIN, last), (WIDTH - MARGIN, last)], fill=INK, width=3)
    draw.text((MARGIN + 16, last + 60), "이사 수 Directors", font=font(44, True), fill=INK, anchor="lm")
    for centre, count in zip(centres, counts):
        draw.text((centre, last + 60), str(count), font=font(60, True), fill=INK, anchor="mm")
    footer(draw, height, BOARD_SOURCES)
    return image


FIGURES = {
    "events/five-days/staff-letter-signatures.png": signatures,
    "events/five-days/openai-board-november-2023.png": board,
}


def png(image: Image.Image) -> bytes:
    """A small PNG: a palette of a few dozen colours is enough for flat shapes and text."""
    out = io.BytesIO()
    image.quantize(colors=64, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(out, "PNG",
                                                                                              optimize=True)
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--content", type=Path, default=Path("content"))
    args = parser.parse_args()
    for name, draw in FIGURES.items():
        path = args.content / name
        data = png(draw())
        path.write_bytes(data)
        print(f"{path}: {len(data) // 1024} KB")


if __name__ == "__main__":
    main()
