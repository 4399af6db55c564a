using System.Text;
using Harness.Core.Experiments;
using SkiaSharp;

namespace Harness.Core.Reporting.Document;

/// <summary>
/// The typefaces of a document (regular, bold, italic, bold italic, monospace) resolved once from a family
/// name, with measuring and drawing that fall back per character to a face that has the glyph.
/// </summary>
public sealed class FontSet : IDisposable
{
    /// <summary>Metric-compatible stand-ins: the same advance widths, so a page set in one is set the same in the other.</summary>
    static readonly Dictionary<string, string[]> MetricCompatible = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Arial"] = ["Liberation Sans", "Arimo"],
        ["Helvetica"] = ["Liberation Sans", "Arimo"],
        ["Times New Roman"] = ["Liberation Serif", "Tinos"],
        ["Times"] = ["Liberation Serif", "Tinos"],
        ["Courier New"] = ["Liberation Mono", "Cousine"],
    };
    static readonly string[] GenericFallbacks = ["Liberation Sans", "DejaVu Sans"];
    static readonly string[] MonoFamilies = ["Liberation Mono", "DejaVu Sans Mono"];

    readonly SKTypeface regular, bold, italic, boldItalic, mono;
    readonly Dictionary<(SKTypeface, float), SKFont> fonts = new();
    readonly Dictionary<(int Rune, bool Bold, bool Italic), SKTypeface> fallback = new();

    /// <summary>The family asked for.</summary>
    public string RequestedFamily { get; }
    /// <summary>The family actually used (e.g. "Liberation Sans" for "Arial" on a machine without Arial).</summary>
    public string Family { get; }
    /// <summary>"shipped" (the harness's own copy) or "installed".</summary>
    public string Source { get; }
    /// <summary>The family of the monospace face (inline commands, reproduce commands).</summary>
    public string MonoFamily { get; }
    /// <summary>Whether <see cref="Family"/> is the requested family or a metric-compatible stand-in for it.</summary>
    public bool MetricCompatibleWithRequest =>
        string.Equals(Family, RequestedFamily, StringComparison.OrdinalIgnoreCase)
        || (MetricCompatible.TryGetValue(RequestedFamily, out var subs) && subs.Contains(Family, StringComparer.OrdinalIgnoreCase));

    FontSet(string requested, string family, FontLibrary library)
    {
        RequestedFamily = requested;
        Family = family;
        Source = library.SourceOf(family) ?? "installed";
        regular = library.Find(family, SKFontStyle.Normal)!;
        bold = library.Find(family, SKFontStyle.Bold) ?? regular;
        italic = library.Find(family, SKFontStyle.Italic) ?? regular;
        boldItalic = library.Find(family, SKFontStyle.BoldItalic) ?? bold;
        MonoFamily = family;
        mono = regular;
        foreach (var f in MonoFamilies)
            if (library.Find(f, SKFontStyle.Normal) is { } face) { MonoFamily = f; mono = face; break; }
    }

    /// <summary>
    /// Resolves a family: the family itself when installed (a real Arial), else its metric-compatible stand-ins (the
    /// shipped Liberation Sans first), else Liberation Sans / DejaVu Sans, which are not metric-compatible with it.
    /// </summary>
    /// <exception cref="HarnessException">no usable font is installed or shipped.</exception>
    public static FontSet Resolve(string family, FontLibrary? library = null)
    {
        library ??= FontLibrary.Default;
        var candidates = new List<string> { family };
        if (MetricCompatible.TryGetValue(family, out var subs)) candidates.AddRange(subs);
        candidates.AddRange(GenericFallbacks);
        foreach (var c in candidates.Distinct(StringComparer.OrdinalIgnoreCase))
            if (library.SourceOf(c) is not null) return new FontSet(family, c, library);
        throw new HarnessException($"no font found for family '{family}' (also tried {string.Join(", ", candidates.Skip(1))}, and the harness's own " +
            $"copy in {library.BundledFolder ?? FontLibrary.DefaultBundledFolder} is missing); install one, e.g. `apt-get install fonts-liberation2 fonts-dejavu-core`");
    }

    /// <summary>The regular face (figures draw with it).</summary>
    public SKTypeface Regular => regular;

    SKTypeface Face(TextStyle s) => s.Mono ? mono : (s.Bold, s.Italic) switch
    {
        (true, true) => boldItalic,
        (true, false) => bold,
        (false, true) => italic,
        _ => regular,
    };

    public SKFont Font(TextStyle s) => FontOf(Face(s), s.Size);

    SKFont FontOf(SKTypeface face, float size)
    {
        if (fonts.TryGetValue((face, size), out var f)) return f;
        f = new SKFont(face, size) { LinearMetrics = true, Subpixel = true, Hinting = SKFontHinting.None };
        fonts[(face, size)] = f;
        return f;
    }

    /// <summary>Distance from the top of a line box to the baseline, and the line box height, for a style.</summary>
    public (float Ascent, float Height) LineMetrics(TextStyle s, float spacing)
    {
        var m = Font(s).Metrics;
        var natural = m.Descent - m.Ascent;
        var height = s.Size * spacing;
        return ((height - natural) / 2 - m.Ascent, height);
    }

    /// <summary>Splits text into runs that one typeface can draw.</summary>
    IEnumerable<(string Text, SKFont Font)> Runs(string text, TextStyle s)
    {
        var primary = Font(s);
        if (primary.ContainsGlyphs(text)) { yield return (text, primary); yield break; }
        var sb = new StringBuilder();
        SKFont? current = null;
        foreach (var rune in text.EnumerateRunes())
        {
            var f = primary.GetGlyph(rune.Value) != 0 || Rune.IsWhiteSpace(rune) ? primary : FontOf(FallbackFace(rune.Value, s), s.Size);
            if (current is not null && f != current) { yield return (sb.ToString(), current); sb.Clear(); }
            current = f;
            sb.Append(rune.ToString());
        }
        if (current is not null && sb.Length > 0) yield return (sb.ToString(), current);
    }

    SKTypeface FallbackFace(int rune, TextStyle s)
    {
        var key = (rune, s.Bold, s.Italic);
        if (fallback.TryGetValue(key, out var t)) return t;
        t = SKFontManager.Default.MatchCharacter(Family, s.Bold ? SKFontStyleWeight.Bold : SKFontStyleWeight.Normal,
                SKFontStyleWidth.Normal, s.Italic ? SKFontStyleSlant.Italic : SKFontStyleSlant.Upright, null, rune)
            ?? Face(s);
        fallback[key] = t;
        return t;
    }

    /// <summary>Advance width of a text in points.</summary>
    public float Measure(string text, TextStyle s)
    {
        if (text.Length == 0) return 0;
        float w = 0;
        foreach (var (run, font) in Runs(text, s)) w += font.MeasureText(run);
        return w;
    }

    /// <summary>The text, or its longest start that fits with an ellipsis, within the width.</summary>
    public string Ellipsize(string text, TextStyle s, float width)
    {
        if (Measure(text, s) <= width) return text;
        var t = text;
        while (t.Length > 1 && Measure(t + "…", s) > width) t = t[..^1];
        return t.TrimEnd() + "…";
    }

    /// <summary>Draws text with its baseline at y, starting at x.</summary>
    public void Draw(SKCanvas canvas, string text, float x, float baseline, TextStyle s, SKColor defaultColor)
    {
        if (text.Length == 0) return;
        using var paint = new SKPaint { Color = s.Color ?? defaultColor, IsAntialias = true };
        foreach (var (run, font) in Runs(text, s))
        {
            canvas.DrawText(run, x, baseline, font, paint);
            x += font.MeasureText(run);
        }
    }

    public void Dispose()
    {
        foreach (var f in fonts.Values) f.Dispose();
        fonts.Clear();
    }
}
