using Harness.Core.Records;
using SkiaSharp;

namespace Harness.Core.Reporting.Figures;

/// <summary>The one entry point that draws any <see cref="FigureSpec"/> onto a canvas (PDF page, SVG or bitmap).</summary>
public static class FigureRenderer
{
    /// <summary>Logical width plots are laid out at before being scaled into the target rectangle.</summary>
    public const float LogicalWidth = 640;

    /// <summary>Scatter plots with more points than this are drawn as a 300-dpi raster (see <see cref="Draw"/>).</summary>
    public const int RasterPointThreshold = 5000;

    /// <summary>Height / width the figure looks best at.</summary>
    /// <param name="fontFamily">the family the figure is drawn in (image grids size their labels' rows by it)</param>
    public static float Aspect(FigureSpec spec, string fontFamily = "Liberation Sans") => spec switch
    {
        ImageGridSpec s => ImageGridPainter.Aspect(s, Typeface(fontFamily)),
        HeatmapSpec s => Math.Clamp((s.Values.Length + 2.5f) / (s.Values.DefaultIfEmpty([]).Max(r => r.Length) + 3.5f), 0.5f, 1.1f) * 0.9f,
        ScatterSpec => 0.68f,
        RegionMapSpec s => Math.Clamp((float)((s.YMax - s.YMin) / Math.Max(1e-9, s.XMax - s.XMin)), 0.5f, 1.1f) * 0.85f,
        _ => 0.58f,
    };

    /// <summary>The regular face of a family (shipped or installed; shared, so never disposed).</summary>
    public static SKTypeface Typeface(string fontFamily) => Document.FontLibrary.Default.Find(fontFamily, SKFontStyle.Normal) ?? SKTypeface.Default;

    /// <summary>Draws the figure into <paramref name="rect"/>, clipped to it.</summary>
    /// <param name="fontFamily">family for all figure text (should be installed; e.g. the report's resolved family)</param>
    /// <param name="showTitle">draw the spec's title (exports); the report's caption replaces it in the PDF</param>
    public static void Draw(FigureSpec spec, SKCanvas canvas, SKRect rect, string fontFamily = "Liberation Sans", bool showTitle = false)
    {
        canvas.Save();
        canvas.ClipRect(rect);
        if (spec is ImageGridSpec grid)
        {
            var bitmaps = ImageGridPainter.Bitmaps(grid);
            try
            {
                var face = Typeface(fontFamily);
                var top = rect.Top;
                if (showTitle)
                {
                    using var font = new SKFont(face, 16);
                    using var paint = new SKPaint { Color = SKColors.Black, IsAntialias = true };
                    canvas.DrawText(grid.Title, rect.MidX, top + font.Size * 1.2f, SKTextAlign.Center, font, paint);
                    top += font.Size * 1.8f;
                }
                ImageGridPainter.Draw(canvas, new SKRect(rect.Left, top, rect.Right, rect.Bottom), bitmaps, grid.Columns, face);
            }
            finally { foreach (var (b, _) in bitmaps) b.Dispose(); }
        }
        else if (spec is ScatterSpec { X.Length: > RasterPointThreshold })
        {
            // Tens of thousands of vector markers make a ~10 MB page that viewers draw slowly; at 4× the logical
            // width (≈ 2,560 px across the text column, over 300 dpi) a raster looks the same in print.
            const int k = 4;
            var plot = PlotFactory.Create(spec, fontFamily, showTitle);
            int w = (int)LogicalWidth, h = (int)Math.Round(rect.Height * LogicalWidth / rect.Width);
            using var surface = SKSurface.Create(new SKImageInfo(w * k, h * k, SKColorType.Rgba8888, SKAlphaType.Premul));
            surface.Canvas.Clear(SKColors.White);
            surface.Canvas.Scale(k);
            plot.Render(surface.Canvas, w, h);
            using var image = surface.Snapshot();
            canvas.DrawImage(image, rect, new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear));
        }
        else
        {
            var plot = PlotFactory.Create(spec, fontFamily, showTitle);
            var scale = rect.Width / LogicalWidth;
            var height = (int)Math.Round(rect.Height / scale);
            canvas.Translate(rect.Left, rect.Top);
            canvas.Scale(scale);
            plot.Render(canvas, (int)LogicalWidth, height);
        }
        canvas.Restore();
    }
}
