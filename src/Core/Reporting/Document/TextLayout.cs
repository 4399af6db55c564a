namespace Harness.Core.Reporting.Document;

/// <summary>A word placed on a line: its text, x offset from the line start and width.</summary>
public readonly record struct PlacedWord(string Text, float X, float Width);

/// <summary>One laid-out line of a paragraph.</summary>
public sealed record TextLine(IReadOnlyList<PlacedWord> Words, float Width);

/// <summary>
/// Greedy word wrap with measured glyph widths. Newlines force breaks; a word wider than the line is split
/// between characters. Justified lines spread the slack over the gaps, except the last line of a paragraph.
/// </summary>
public static class TextLayout
{
    public static IReadOnlyList<TextLine> Wrap(string text, TextStyle style, FontSet fonts, float width, TextAlign align)
    {
        var lines = new List<TextLine>();
        var space = fonts.Measure(" ", style);
        foreach (var hard in text.Replace("\r\n", "\n").Split('\n'))
        {
            var words = Words(hard, style, fonts, width);
            if (words.Count == 0) { lines.Add(new TextLine([], 0)); continue; }
            var current = new List<(string Text, float W)>();
            float used = 0;
            foreach (var w in words)
            {
                var extra = current.Count == 0 ? w.W : space + w.W;
                if (current.Count > 0 && used + extra > width + 0.01f)
                {
                    lines.Add(Place(current, space, width, align, last: false));
                    current.Clear();
                    used = 0;
                    extra = w.W;
                }
                current.Add(w);
                used += extra;
            }
            lines.Add(Place(current, space, width, align, last: true));
        }
        return lines;
    }

    static List<(string Text, float W)> Words(string line, TextStyle style, FontSet fonts, float width)
    {
        var result = new List<(string, float)>();
        foreach (var word in line.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var w = fonts.Measure(word, style);
            if (w <= width) { result.Add((word, w)); continue; }
            // Break an over-long word (URLs, hashes) between characters.
            var start = 0;
            for (var i = 1; i <= word.Length; i++)
            {
                if (i < word.Length && char.IsLowSurrogate(word[i])) continue;
                var piece = word[start..i];
                if (fonts.Measure(piece, style) > width && i - start > 1)
                {
                    var prev = word[start..(i - 1)];
                    result.Add((prev, fonts.Measure(prev, style)));
                    start = i - 1;
                }
            }
            var rest = word[start..];
            result.Add((rest, fonts.Measure(rest, style)));
        }
        return result;
    }

    static TextLine Place(List<(string Text, float W)> words, float space, float width, TextAlign align, bool last)
    {
        var natural = words.Sum(w => w.W) + space * (words.Count - 1);
        var gap = space;
        float x = 0;
        switch (align)
        {
            case TextAlign.Justify when !last && words.Count > 1:
                gap = space + (width - natural) / (words.Count - 1);
                break;
            case TextAlign.Center: x = (width - natural) / 2; break;
            case TextAlign.Right: x = width - natural; break;
        }
        var placed = new List<PlacedWord>(words.Count);
        foreach (var (t, w) in words)
        {
            placed.Add(new PlacedWord(t, x, w));
            x += w + gap;
        }
        return new TextLine(placed, align == TextAlign.Justify && !last ? width : natural);
    }

    /// <summary>Words as the word limit counts them: whitespace-separated tokens holding a letter or digit.</summary>
    public static int CountWords(string text) =>
        text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Count(t => t.Any(char.IsLetterOrDigit));
}
