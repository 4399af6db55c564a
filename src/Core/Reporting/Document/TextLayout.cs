namespace Harness.Core.Reporting.Document;

/// <summary>A piece of a word in one style: plain, or code (set in the monospace face).</summary>
public readonly record struct Span(string Text, bool Code);

/// <summary>
/// A word placed on a line: its text, x offset from the line start and width; <see cref="Spans"/> when (part of) it is
/// code, e.g. "`--force`," is the code span "--force" and the plain ",".
/// </summary>
public readonly record struct PlacedWord(string Text, float X, float Width, IReadOnlyList<Span>? Spans = null);

/// <summary>One laid-out line of a paragraph.</summary>
public sealed record TextLine(IReadOnlyList<PlacedWord> Words, float Width);

/// <summary>
/// Greedy word wrap with measured glyph widths. Newlines force breaks; a word wider than the line is split
/// between characters. Justified lines spread the slack over the gaps, except the last line of a paragraph.
/// Text between backticks is code (<see cref="InlineMarkup"/>): set in the monospace face.
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
            var current = new List<Token>();
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

    readonly record struct Token(string Text, float W, IReadOnlyList<Span>? Spans);

    static List<Token> Words(string line, TextStyle style, FontSet fonts, float width)
    {
        var result = new List<Token>();
        foreach (var spans in InlineMarkup.Words(line))
        {
            if (spans.Count > 1 || spans[0].Code)
            {
                var w = spans.Sum(s => fonts.Measure(s.Text, s.Code ? style.AsCode() : style));
                var text = string.Concat(spans.Select(s => s.Text));
                if (w <= width || spans.Count > 1) { result.Add(new Token(text, w, spans)); continue; }
                // A long command or path: broken between characters like any over-long word, each piece still code.
                foreach (var piece in Split(spans[0].Text, style.AsCode(), fonts, width))
                    result.Add(piece with { Spans = [new Span(piece.Text, true)] });
                continue;
            }
            result.AddRange(Split(spans[0].Text, style, fonts, width));
        }
        return result;
    }

    /// <summary>A word, or an over-long one (URLs, hashes) broken between characters into pieces that fit.</summary>
    static IEnumerable<Token> Split(string word, TextStyle style, FontSet fonts, float width)
    {
        var w = fonts.Measure(word, style);
        if (w <= width) { yield return new Token(word, w, null); yield break; }
        var start = 0;
        for (var i = 1; i <= word.Length; i++)
        {
            if (i < word.Length && char.IsLowSurrogate(word[i])) continue;
            var piece = word[start..i];
            if (fonts.Measure(piece, style) > width && i - start > 1)
            {
                var prev = word[start..(i - 1)];
                yield return new Token(prev, fonts.Measure(prev, style), null);
                start = i - 1;
            }
        }
        var rest = word[start..];
        yield return new Token(rest, fonts.Measure(rest, style), null);
    }

    static TextLine Place(List<Token> words, float space, float width, TextAlign align, bool last)
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
        foreach (var (t, w, spans) in words)
        {
            placed.Add(new PlacedWord(t, x, w, spans));
            x += w + gap;
        }
        return new TextLine(placed, align == TextAlign.Justify && !last ? width : natural);
    }

    /// <summary>Words as the word limit counts them: whitespace-separated tokens holding a letter or digit.</summary>
    public static int CountWords(string text) =>
        text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Count(t => t.Any(char.IsLetterOrDigit));
}

/// <summary>
/// The one inline markup of the document text: <c>`code`</c> (commands, options, file names), set in monospace by the
/// PDF and as <c>\texttt</c> by LaTeX. A lone backtick with no partner is text.
/// </summary>
public static class InlineMarkup
{
    /// <summary>The line's words (split at spaces), each as its spans; code spans may cover several words.</summary>
    public static IEnumerable<IReadOnlyList<Span>> Words(string line)
    {
        var code = false;
        var closes = CountBackticks(line) / 2 * 2; // an odd last backtick is a literal
        var seen = 0;
        foreach (var raw in line.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var spans = new List<Span>();
            var sb = new System.Text.StringBuilder();
            foreach (var ch in raw)
            {
                if (ch == '`' && seen < closes)
                {
                    seen++;
                    if (sb.Length > 0) { spans.Add(new Span(sb.ToString(), code)); sb.Clear(); }
                    code = !code;
                    continue;
                }
                sb.Append(ch);
            }
            if (sb.Length > 0) spans.Add(new Span(sb.ToString(), code));
            if (spans.Count > 0) yield return spans;
        }
    }

    /// <summary>The text without its markup (what a reader sees).</summary>
    public static string Plain(string text) => CountBackticks(text) < 2 ? text
        : string.Join("\n", text.Split('\n').Select(l => string.Join(" ", Words(l).Select(w => string.Concat(w.Select(s => s.Text))))));

    static int CountBackticks(string s) => s.Count(c => c == '`');
}
