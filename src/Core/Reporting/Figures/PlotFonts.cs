using Harness.Core.Reporting.Document;
using ScottPlot;
using SkiaSharp;

namespace Harness.Core.Reporting.Figures;

/// <summary>
/// Lets ScottPlot draw with the typefaces the report uses: the shipped Liberation Sans comes before whatever the
/// machine has installed, so the figures of a report on a fresh machine use the same font as its text.
/// </summary>
static class PlotFonts
{
    static int registered;

    public static void Register()
    {
        if (Interlocked.Exchange(ref registered, 1) == 1) return;
        lock (Fonts.FontResolvers) Fonts.FontResolvers.Insert(0, new LibraryResolver());
    }

    sealed class LibraryResolver : IFontResolver
    {
        public SKTypeface? CreateTypeface(string fontName, bool bold, bool italic) =>
            CreateTypeface(fontName, bold ? FontWeight.Bold : FontWeight.Normal, italic ? FontSlant.Italic : FontSlant.Upright, FontSpacing.Normal);

        public SKTypeface? CreateTypeface(string fontName, FontWeight weight, FontSlant slant, FontSpacing width)
        {
            var style = new SKFontStyle(weight >= FontWeight.SemiBold ? SKFontStyleWeight.Bold : SKFontStyleWeight.Normal, SKFontStyleWidth.Normal,
                slant == FontSlant.Upright ? SKFontStyleSlant.Upright : SKFontStyleSlant.Italic);
            // Only the shipped families: installed ones are ScottPlot's own business (its system resolver).
            return FontLibrary.Default.SourceOf(fontName) == "shipped" ? FontLibrary.Default.Find(fontName, style) : null;
        }
    }
}
