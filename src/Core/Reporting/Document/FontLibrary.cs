using System.Collections.Concurrent;
using SkiaSharp;

namespace Harness.Core.Reporting.Document;

/// <summary>
/// Where typefaces come from: the fonts installed on the machine, and the copies of Liberation Sans and Liberation Mono
/// that ship with the harness (<c>src/Core/Reporting/Fonts</c>, SIL OFL 1.1, copied to <c>fonts/</c> beside the
/// assemblies), so that a report looks the same on a fresh machine without <c>fonts-liberation2</c>.
/// </summary>
/// <param name="Installed">whether an installed family may be used (tests hide families to play a fresh machine)</param>
/// <param name="BundledFolder">folder of the shipped font files; null: <see cref="DefaultBundledFolder"/></param>
public sealed record FontLibrary(Func<string, bool>? Installed = null, string? BundledFolder = null)
{
    /// <summary>Installed fonts and the shipped ones.</summary>
    public static readonly FontLibrary Default = new();

    public static string DefaultBundledFolder => Path.Combine(AppContext.BaseDirectory, "fonts");

    /// <summary>Families shipped with the harness and their files (regular, bold, italic, bold italic).</summary>
    static readonly Dictionary<string, string[]> Shipped = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Liberation Sans"] = ["LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf", "LiberationSans-Italic.ttf", "LiberationSans-BoldItalic.ttf"],
        ["Liberation Mono"] = ["LiberationMono-Regular.ttf"],
    };

    // Typefaces are shared by every document and figure of the process: loaded once, never disposed by their users.
    static readonly ConcurrentDictionary<string, SKTypeface?> FileFaces = new();
    static readonly ConcurrentDictionary<(string, int, int), SKTypeface?> InstalledFaces = new();

    /// <summary>
    /// A typeface of exactly that family and style, shipped or installed (shipped first: the same file everywhere), or
    /// null. Typefaces are shared: never dispose one.
    /// </summary>
    public SKTypeface? Find(string family, SKFontStyle style) => Bundled(family, style) ?? InstalledFace(family, style);

    /// <summary>Where <see cref="Find"/> takes the family from: "shipped", "installed" or null (unavailable).</summary>
    public string? SourceOf(string family) =>
        Bundled(family, SKFontStyle.Normal) is not null ? "shipped" : InstalledFace(family, SKFontStyle.Normal) is not null ? "installed" : null;

    SKTypeface? Bundled(string family, SKFontStyle style)
    {
        if (!Shipped.TryGetValue(family, out var files)) return null;
        var bold = style.Weight >= (int)SKFontStyleWeight.SemiBold;
        var italic = style.Slant != SKFontStyleSlant.Upright;
        var index = (bold, italic) switch { (false, false) => 0, (true, false) => 1, (false, true) => 2, _ => 3 };
        if (index >= files.Length) return null; // that style is not shipped: the installed fonts answer
        var file = Path.Combine(BundledFolder ?? DefaultBundledFolder, files[index]);
        return FileFaces.GetOrAdd(file, f => File.Exists(f) ? SKTypeface.FromFile(f) : null);
    }

    SKTypeface? InstalledFace(string family, SKFontStyle style)
    {
        if (Installed is { } allowed && !allowed(family)) return null;
        return InstalledFaces.GetOrAdd((family.ToLowerInvariant(), style.Weight, (int)style.Slant), _ => Match(family, style));
    }

    static SKTypeface? Match(string family, SKFontStyle style)
    {
        var t = SKFontManager.Default.MatchFamily(family, style);
        if (t is null) return null;
        // Font managers hand back a default face for unknown families: only an exact family match counts.
        if (string.Equals(t.FamilyName, family, StringComparison.OrdinalIgnoreCase)) return t;
        t.Dispose();
        return null;
    }
}
