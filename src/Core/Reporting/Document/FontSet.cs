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
    static readonly Dictionary<string, string[]> Substitutes = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Arial"] = ["Liberation Sans", "Arimo", "DejaVu Sans"],
        ["Helvetica"] = ["Liberation Sans", "Arimo", "DejaVu Sans"],
        ["Times New Roman"] = ["Liberation Serif", "Tinos", "DejaVu Serif"],
        ["Times"] = ["Liberation Serif", "Tinos", "DejaVu Serif"],
        ["Courier New"] = ["Liberation Mono", "Cousine", "DejaVu Sans Mono"],
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

    FontSet(string requested, string family)
    {
        RequestedFamily = requested;
        Family = family;
        var mgr = SKFontManager.Default;
        regular = Match(mgr, family, SKFontStyle.Normal)!;
        bold = Match(mgr, family, SKFontStyle.Bold) ?? regular;
        italic = Match(mgr, family, SKFontStyle.Italic) ?? regular;
        boldItalic = Match(mgr, family, SKFontStyle.BoldItalic) ?? bold;
        mono = MonoFamilies.Select(f => Match(mgr, f, SKFontStyle.Normal)).FirstOrDefault(t => t is not null) ?? regular;
    }

    /// <summary>Resolves a family (then its metric-compatible substitutes, then Liberation Sans / DejaVu Sans).</summary>
    /// <exception cref="HarnessException">no usable font is installed.</exception>
    public static FontSet Resolve(string family)
    {
        var candidates = new List<string> { family };
        if (Substitutes.TryGetValue(family, out var subs)) candidates.AddRange(subs);
        candidates.AddRange(GenericFallbacks);
        foreach (var c in candidates)
        {
            using var t = Match(SKFontManager.Default, c, SKFontStyle.Normal);
            if (t is not null) return new FontSet(family, c);
        }
        throw new HarnessException($"no font found for family '{family}' (also tried {string.Join(", ", candidates.Skip(1))}); " +
            "install one, e.g. `apt-get install fonts-liberation2 fonts-dejavu-core`");
    }

    /// <summary>A typeface of exactly that family, or null (font managers otherwise hand back a default face).</summary>
    static SKTypeface? Match(SKFontManager mgr, string family, SKFontStyle style)
    {
        var t = mgr.MatchFamily(family, style);
        if (t is null) return null;
        if (string.Equals(t.FamilyName, family, StringComparison.OrdinalIgnoreCase)) return t;
        t.Dispose();
        return null;
    }

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
