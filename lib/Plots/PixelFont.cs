using System.Globalization;
using System.Text;

namespace Lib.Plots;

/// <summary>
/// A 5×7 bitmap font (printable ASCII, lowercase descenders two rows below the baseline) for labels
/// drawn into images, e.g. <see cref="ImageGrid"/>'s column titles. Drawn here rather than with a
/// font library so a PNG looks the same on every machine and the library needs nothing installed.
/// </summary>
/// <remarks>
/// Text outside ASCII is first spelled in ASCII (<see cref="ToAscii"/>): → as "->", × as "x", γ as
/// "g", accents dropped; what has no spelling is drawn as '?'.
/// </remarks>
public static class PixelFont
{
    /// <summary>Glyph width in font pixels.</summary>
    public const int GlyphWidth = 5;

    /// <summary>Glyph height in font pixels: 7 rows above the baseline, 2 below for g, j, p, q, y, ',' and '_'.</summary>
    public const int GlyphHeight = 9;

    /// <summary>From one character's left edge to the next one's: one blank column between glyphs.</summary>
    public const int Advance = GlyphWidth + 1;

    /// <summary>From one line's top to the next one's: one blank row under the descenders.</summary>
    public const int LineHeight = GlyphHeight + 1;

    // Row by row from the top, '#' inked; rows not given are blank. Codes 32..126 in order.
    private static readonly string[] Patterns =
    [
        "",                                                       // space
        "..#.. ..#.. ..#.. ..#.. ..#.. ..... ..#..",              // !
        ".#.#. .#.#. .#.#.",                                      // "
        ".#.#. .#.#. ##### .#.#. ##### .#.#. .#.#.",              // #
        "..#.. .#### #.#.. .###. ..#.# ####. ..#..",              // $
        "##... ##..# ...#. ..#.. .#... #..## ...##",              // %
        ".##.. #..#. #.#.. .#... #.#.# #..#. .##.#",              // &
        "..#.. ..#.. .#...",                                      // '
        "...#. ..#.. .#... .#... .#... ..#.. ...#.",              // (
        ".#... ..#.. ...#. ...#. ...#. ..#.. .#...",              // )
        "..... ..#.. #.#.# .###. #.#.# ..#..",                    // *
        "..... ..#.. ..#.. ##### ..#.. ..#..",                    // +
        "..... ..... ..... ..... ..... ..##. ..##. ...#. ..#..",  // ,
        "..... ..... ..... #####",                                // -
        "..... ..... ..... ..... ..... .##.. .##..",              // .
        "....# ....# ...#. ..#.. .#... #.... #....",              // /
        ".###. #...# #..## #.#.# ##..# #...# .###.",              // 0
        "..#.. .##.. ..#.. ..#.. ..#.. ..#.. .###.",              // 1
        ".###. #...# ....# ...#. ..#.. .#... #####",              // 2
        "##### ...#. ..#.. ...#. ....# #...# .###.",              // 3
        "...#. ..##. .#.#. #..#. ##### ...#. ...#.",              // 4
        "##### #.... ####. ....# ....# #...# .###.",              // 5
        "..##. .#... #.... ####. #...# #...# .###.",              // 6
        "##### ....# ...#. ..#.. .#... .#... .#...",              // 7
        ".###. #...# #...# .###. #...# #...# .###.",              // 8
        ".###. #...# #...# .#### ....# ...#. .##..",              // 9
        "..... .##.. .##.. ..... .##.. .##..",                    // :
        "..... .##.. .##.. ..... .##.. .##.. ..#.. .#...",        // ;
        "...#. ..#.. .#... #.... .#... ..#.. ...#.",              // <
        "..... ..... ##### ..... #####",                          // =
        ".#... ..#.. ...#. ....# ...#. ..#.. .#...",              // >
        ".###. #...# ....# ...#. ..#.. ..... ..#..",              // ?
        ".###. #...# ....# .##.# #.#.# #.#.# .###.",              // @
        ".###. #...# #...# ##### #...# #...# #...#",              // A
        "####. #...# #...# ####. #...# #...# ####.",              // B
        ".###. #...# #.... #.... #.... #...# .###.",              // C
        "###.. #..#. #...# #...# #...# #..#. ###..",              // D
        "##### #.... #.... ####. #.... #.... #####",              // E
        "##### #.... #.... ####. #.... #.... #....",              // F
        ".###. #...# #.... #.### #...# #...# .####",              // G
        "#...# #...# #...# ##### #...# #...# #...#",              // H
        ".###. ..#.. ..#.. ..#.. ..#.. ..#.. .###.",              // I
        "..### ...#. ...#. ...#. ...#. #..#. .##..",              // J
        "#...# #..#. #.#.. ##... #.#.. #..#. #...#",              // K
        "#.... #.... #.... #.... #.... #.... #####",              // L
        "#...# ##.## #.#.# #.#.# #...# #...# #...#",              // M
        "#...# #...# ##..# #.#.# #..## #...# #...#",              // N
        ".###. #...# #...# #...# #...# #...# .###.",              // O
        "####. #...# #...# ####. #.... #.... #....",              // P
        ".###. #...# #...# #...# #.#.# #..#. .##.#",              // Q
        "####. #...# #...# ####. #.#.. #..#. #...#",              // R
        ".#### #.... #.... .###. ....# ....# ####.",              // S
        "##### ..#.. ..#.. ..#.. ..#.. ..#.. ..#..",              // T
        "#...# #...# #...# #...# #...# #...# .###.",              // U
        "#...# #...# #...# #...# #...# .#.#. ..#..",              // V
        "#...# #...# #...# #.#.# #.#.# #.#.# .#.#.",              // W
        "#...# #...# .#.#. ..#.. .#.#. #...# #...#",              // X
        "#...# #...# .#.#. ..#.. ..#.. ..#.. ..#..",              // Y
        "##### ....# ...#. ..#.. .#... #.... #####",              // Z
        ".###. .#... .#... .#... .#... .#... .###.",              // [
        "#.... #.... .#... ..#.. ...#. ....# ....#",              // \
        ".###. ...#. ...#. ...#. ...#. ...#. .###.",              // ]
        "..#.. .#.#. #...#",                                      // ^
        "..... ..... ..... ..... ..... ..... ..... #####",        // _
        ".#... ..#.. ...#.",                                      // `
        "..... ..... .###. ....# .#### #...# .####",              // a
        "#.... #.... #.##. ##..# #...# #...# ####.",              // b
        "..... ..... .###. #.... #.... #...# .###.",              // c
        "....# ....# .##.# #..## #...# #...# .####",              // d
        "..... ..... .###. #...# ##### #.... .###.",              // e
        "..##. .#..# .#... ###.. .#... .#... .#...",              // f
        "..... ..... .#### #...# #...# #...# .#### ....# .###.",  // g
        "#.... #.... #.##. ##..# #...# #...# #...#",              // h
        "..#.. ..... .##.. ..#.. ..#.. ..#.. .###.",              // i
        "...#. ..... ..##. ...#. ...#. ...#. ...#. #..#. .##..",  // j
        "#.... #.... #..#. #.#.. ##... #.#.. #..#.",              // k
        ".##.. ..#.. ..#.. ..#.. ..#.. ..#.. .###.",              // l
        "..... ..... ##.#. #.#.# #.#.# #...# #...#",              // m
        "..... ..... #.##. ##..# #...# #...# #...#",              // n
        "..... ..... .###. #...# #...# #...# .###.",              // o
        "..... ..... ####. #...# #...# #...# ####. #.... #....",  // p
        "..... ..... .#### #...# #...# #...# .#### ....# ....#",  // q
        "..... ..... #.##. ##..# #.... #.... #....",              // r
        "..... ..... .###. #.... .###. ....# ####.",              // s
        ".#... .#... ###.. .#... .#... .#..# ..##.",              // t
        "..... ..... #...# #...# #...# #..## .##.#",              // u
        "..... ..... #...# #...# #...# .#.#. ..#..",              // v
        "..... ..... #...# #...# #.#.# #.#.# .#.#.",              // w
        "..... ..... #...# .#.#. ..#.. .#.#. #...#",              // x
        "..... ..... #...# #...# #...# #...# .#### ....# .###.",  // y
        "..... ..... ##### ...#. ..#.. .#... #####",              // z
        "...#. ..#.. ..#.. .#... ..#.. ..#.. ...#.",              // {
        "..#.. ..#.. ..#.. ..#.. ..#.. ..#.. ..#..",              // |
        ".#... ..#.. ..#.. ...#. ..#.. ..#.. .#...",              // }
        "..... ..... .#... #.#.# ...#.",                          // ~
    ];

    // Bit 4 is the leftmost column; GlyphHeight masks per glyph.
    private static readonly byte[][] Glyphs = Patterns.Select(Parse).ToArray();

    // Characters titles in this repository use (or plausibly will) that accent stripping cannot spell.
    private static readonly Dictionary<char, string> Spellings = new()
    {
        ['→'] = "->", ['←'] = "<-", ['↔'] = "<->", ['⇒'] = "=>", ['×'] = "x", ['·'] = ".", ['•'] = "*",
        ['…'] = "...", ['–'] = "-", ['—'] = "-", ['−'] = "-", ['‘'] = "'", ['’'] = "'", ['“'] = "\"", ['”'] = "\"",
        ['≤'] = "<=", ['≥'] = ">=", ['≠'] = "!=", ['≈'] = "~", ['±'] = "+-", ['÷'] = "/", ['°'] = "deg",
        ['²'] = "2", ['³'] = "3", ['¹'] = "1", ['½'] = "1/2", ['√'] = "sqrt", ['∞'] = "inf", ['ß'] = "ss",
        ['α'] = "a", ['β'] = "b", ['γ'] = "g", ['δ'] = "d", ['Δ'] = "D", ['ε'] = "e", ['η'] = "eta", ['θ'] = "th",
        ['λ'] = "l", ['μ'] = "u", ['π'] = "pi", ['ρ'] = "r", ['σ'] = "s", ['τ'] = "t", ['φ'] = "phi", ['ω'] = "w",
        ['\u00a0'] = " ", ['\t'] = " ",
    };

    /// <summary>The text as this font can draw it: ASCII, newlines kept, everything else spelled or '?'.</summary>
    public static string ToAscii(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var rune in text.EnumerateRunes())
        {
            if (rune.Value == '\n' || (rune.Value >= 32 && rune.Value < 127)) sb.Append((char)rune.Value);
            else if (rune.Value == '\r') continue;
            else if (rune.IsBmp && Spellings.TryGetValue((char)rune.Value, out var spelled)) sb.Append(spelled);
            else sb.Append(WithoutAccents(rune));
        }
        return sb.ToString();
    }

    // é → e: the base letter of a decomposition, when that base is ASCII; a combining accent on its own adds nothing.
    private static string WithoutAccents(Rune rune)
    {
        if (Rune.GetUnicodeCategory(rune) == UnicodeCategory.NonSpacingMark) return "";
        var decomposed = rune.ToString().Normalize(NormalizationForm.FormD);
        var bases = decomposed.Where(c => CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark).ToArray();
        return bases.Length > 0 && bases.All(c => c >= 32 && c < 127) ? new string(bases) : "?";
    }

    /// <summary>Width in image pixels of one line of ASCII at <paramref name="scale"/> image pixels per font pixel.</summary>
    public static int Width(int characters, int scale) => characters == 0 ? 0 : (characters * Advance - 1) * scale;

    /// <summary>How many characters fit on a line <paramref name="width"/> pixels wide (at least 1, so nothing loops forever).</summary>
    public static int CharactersIn(int width, int scale) => Math.Max(1, (width / scale + 1) / Advance);

    /// <summary>
    /// <paramref name="text"/> (spelled in ASCII) broken into lines of at most <paramref name="perLine"/>
    /// characters: at spaces and newlines where it can, inside a word (with a hyphen) where one word is longer than a line.
    /// Beyond <paramref name="maxLines"/> the last line ends in "..." so the reader sees something was cut.
    /// </summary>
    public static IReadOnlyList<string> Wrap(string text, int perLine, int maxLines)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(perLine, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLines, 1);
        var lines = new List<string>();
        foreach (var paragraph in ToAscii(text).Split('\n'))
        {
            var line = "";
            foreach (var word in paragraph.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                if (line.Length > 0 && line.Length + 1 + word.Length <= perLine) { line += " " + word; continue; }
                if (line.Length > 0) lines.Add(line);
                var rest = word;
                while (rest.Length > perLine)
                {
                    // After a hyphen the word already has, else at a hyphen added to say the next line goes on
                    // with the word; lines under 6 characters cannot spare one and are cut bare.
                    var dash = rest.LastIndexOf('-', perLine - 1);
                    var cut = dash > 0 ? dash + 1 : perLine >= 6 ? perLine - 1 : perLine;
                    lines.Add(dash <= 0 && cut < perLine ? rest[..cut] + "-" : rest[..cut]);
                    rest = rest[cut..];
                }
                line = rest;
            }
            lines.Add(line);
        }
        while (lines.Count > 0 && lines[^1].Length == 0) lines.RemoveAt(lines.Count - 1);
        if (lines.Count <= maxLines) return lines;
        var last = lines[maxLines - 1];
        var kept = Math.Max(0, Math.Min(last.Length, perLine - 3));
        lines[maxLines - 1] = (last[..kept] + "...")[..Math.Min(perLine, kept + 3)];
        return lines.GetRange(0, maxLines);
    }

    /// <summary>
    /// Draws one line of ASCII into a row-major <paramref name="width"/>-wide canvas with its top-left corner
    /// at (<paramref name="x"/>, <paramref name="y"/>), each font pixel a <paramref name="scale"/>² block of
    /// <paramref name="ink"/>; nothing is drawn left of <paramref name="clipLeft"/> or from <paramref name="clipRight"/> on,
    /// so a label cannot spill into its neighbour's cell.
    /// </summary>
    public static void Draw(Span<float> canvas, int width, string line, int x, int y, int scale, float ink, int clipLeft = 0, int clipRight = int.MaxValue)
    {
        var height = canvas.Length / width;
        clipLeft = Math.Max(clipLeft, 0);
        clipRight = Math.Min(clipRight, width);
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            var glyph = Glyphs[c >= 32 && c < 127 ? c - 32 : '?' - 32];
            var left = x + i * Advance * scale;
            for (var row = 0; row < GlyphHeight; row++)
            for (var col = 0; col < GlyphWidth; col++)
            {
                if ((glyph[row] & (1 << (GlyphWidth - 1 - col))) == 0) continue;
                for (var dy = 0; dy < scale; dy++)
                {
                    var py = y + row * scale + dy;
                    if (py < 0 || py >= height) continue;
                    var from = Math.Max(left + col * scale, clipLeft);
                    var to = Math.Min(left + (col + 1) * scale, clipRight);
                    if (from < to) canvas.Slice(py * width + from, to - from).Fill(ink);
                }
            }
        }
    }

    private static byte[] Parse(string pattern, int index)
    {
        var rows = pattern.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (rows.Length > GlyphHeight || rows.Any(r => r.Length != GlyphWidth))
            throw new InvalidOperationException($"glyph for '{(char)(index + 32)}' is not {GlyphWidth} wide and at most {GlyphHeight} high");
        var masks = new byte[GlyphHeight];
        for (var r = 0; r < rows.Length; r++)
            for (var c = 0; c < GlyphWidth; c++)
                if (rows[r][c] == '#') masks[r] |= (byte)(1 << (GlyphWidth - 1 - c));
        return masks;
    }
}
