using Harness.Core.Records;
using SkiaSharp;

namespace Harness.Core.Reporting.Figures;

/// <summary>
/// Draws small images in a grid with a label under each, straight with SkiaSharp. Works in logical units
/// (100 per cell) scaled uniformly into the target rectangle; pixels stay sharp (nearest-neighbour upscaling).
/// </summary>
public static class ImageGridPainter
{
    const float Cell = 100, Pad = 5, LabelHeight = 24, LabelSize = 17;

    public static float Aspect(int count, int columns, int width, int height)
    {
        columns = Math.Max(1, Math.Min(columns, Math.Max(1, count)));
        var rows = Math.Max(1, (count + columns - 1) / columns);
        return rows * CellHeight(width, height) / (columns * Cell);
    }

    static float CellHeight(int width, int height) => (Cell - 2 * Pad) * height / Math.Max(1, width) + 2 * Pad + LabelHeight;

    public static void Draw(SKCanvas canvas, SKRect rect, IReadOnlyList<(SKBitmap Image, string Label)> images, int columns, SKTypeface typeface)
    {
        if (images.Count == 0) return;
        columns = Math.Max(1, Math.Min(columns, images.Count));
        var rows = (images.Count + columns - 1) / columns;
        var cellH = CellHeight(images[0].Image.Width, images[0].Image.Height);
        var logicalW = columns * Cell;
        var scale = Math.Min(rect.Width / logicalW, rect.Height / (rows * cellH));
        canvas.Save();
        canvas.Translate(rect.Left + (rect.Width - logicalW * scale) / 2, rect.Top);
        canvas.Scale(scale);
        using var font = new SKFont(typeface, LabelSize) { LinearMetrics = true, Subpixel = true };
        using var text = new SKPaint { Color = new SKColor(0x20, 0x20, 0x20), IsAntialias = true };
        using var frame = new SKPaint { Color = new SKColor(0xB0, 0xB0, 0xB0), IsStroke = true, StrokeWidth = 0.8f };
        var sampling = new SKSamplingOptions(SKFilterMode.Nearest, SKMipmapMode.None);
        for (var i = 0; i < images.Count; i++)
        {
            var (image, label) = images[i];
            var x = i % columns * Cell;
            var y = i / columns * cellH;
            var imgW = Cell - 2 * Pad;
            var imgH = imgW * image.Height / Math.Max(1, image.Width);
            var dest = SKRect.Create(x + Pad, y + Pad, imgW, imgH);
            using (var img = SKImage.FromBitmap(image)) canvas.DrawImage(img, dest, sampling);
            canvas.DrawRect(dest, frame);
            DrawLabel(canvas, label, x + Cell / 2, y + Pad + imgH, Cell - 4, font, text);
        }
        canvas.Restore();
    }

    /// <summary>Share of the text width a grid of that many columns takes, so cells stay about 55 pt wide.</summary>
    public static float WidthFraction(int count, int columns, float textWidth) =>
        Math.Clamp(Math.Max(1, Math.Min(columns, count)) * 55f / textWidth, 0.25f, 1f);

    /// <summary>
    /// The label under a cell: at full size if it fits, else shrunk (to 12), else on two lines at 11 split at a space;
    /// only then cut with an ellipsis, so descriptive labels ("crop: content 1 px left+up") stay readable.
    /// </summary>
    static void DrawLabel(SKCanvas canvas, string label, float centreX, float top, float width, SKFont font, SKPaint paint)
    {
        var size = font.Size;
        try
        {
            var full = font.MeasureText(label);
            if (full <= width) { canvas.DrawText(label, centreX, top + size + 2, SKTextAlign.Center, font, paint); return; }
            if (full * 12 / size <= width)
            {
                font.Size = size * width / full;
                canvas.DrawText(label, centreX, top + size + 2, SKTextAlign.Center, font, paint);
                return;
            }
            font.Size = 11;
            var cut = BestSplit(label, font);
            if (cut < 0) { canvas.DrawText(Fit(label, font, width), centreX, top + 13, SKTextAlign.Center, font, paint); return; }
            canvas.DrawText(Fit(label[..cut], font, width), centreX, top + 12, SKTextAlign.Center, font, paint);
            canvas.DrawText(Fit(label[(cut + 1)..], font, width), centreX, top + 24, SKTextAlign.Center, font, paint);
        }
        finally { font.Size = size; }
    }

    /// <summary>The space that makes the wider of the two lines narrowest, or −1 without a space.</summary>
    static int BestSplit(string label, SKFont font) =>
        Enumerable.Range(0, label.Length).Where(i => label[i] == ' ')
            .Select(i => (i, w: Math.Max(font.MeasureText(label[..i]), font.MeasureText(label[(i + 1)..]))))
            .DefaultIfEmpty((i: -1, w: 0f)).MinBy(t => t.w).i;

    static string Fit(string label, SKFont font, float width)
    {
        if (font.MeasureText(label) <= width) return label;
        var t = label;
        while (t.Length > 1 && font.MeasureText(t + "…") > width) t = t[..^1];
        return t + "…";
    }

    /// <summary>Turns a spec's planar float pixels into bitmaps (upscaled by an integer factor so they stay crisp in PDF viewers).</summary>
    public static List<(SKBitmap Image, string Label)> Bitmaps(ImageGridSpec spec)
    {
        var factor = Math.Max(1, (int)Math.Ceiling(84.0 / Math.Max(1, spec.Width)));
        var plane = spec.Width * spec.Height;
        var result = new List<(SKBitmap, string)>(spec.Images.Count);
        foreach (var image in spec.Images)
        {
            var px = image.Pixels;
            float lo = 0, hi = 1;
            if (spec.Normalize && px.Length > 0) { lo = px.Min(); hi = px.Max(); if (hi - lo < 1e-12f) hi = lo + 1; }
            var bmp = new SKBitmap(spec.Width * factor, spec.Height * factor, SKColorType.Rgba8888, SKAlphaType.Opaque);
            for (var yy = 0; yy < spec.Height; yy++)
                for (var xx = 0; xx < spec.Width; xx++)
                {
                    byte Chan(int c)
                    {
                        var idx = (spec.Channels >= 3 ? c : 0) * plane + yy * spec.Width + xx;
                        var v = idx < px.Length ? (px[idx] - lo) / (hi - lo) : 0;
                        return (byte)Math.Clamp(MathF.Round(v * 255), 0, 255);
                    }
                    var color = new SKColor(Chan(0), Chan(1), Chan(2));
                    for (var dy = 0; dy < factor; dy++)
                        for (var dx = 0; dx < factor; dx++)
                            bmp.SetPixel(xx * factor + dx, yy * factor + dy, color);
                }
            result.Add((bmp, image.Label));
        }
        return result;
    }
}
