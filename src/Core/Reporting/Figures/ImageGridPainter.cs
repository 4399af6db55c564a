using Harness.Core.Records;
using SkiaSharp;

namespace Harness.Core.Reporting.Figures;

/// <summary>
/// Draws small images in a grid with a label under each, straight with SkiaSharp. Works in logical units
/// (100 per cell) scaled uniformly into the target rectangle; pixels stay sharp (nearest-neighbour upscaling).
/// Every label of a grid is set at one size (<see cref="PlanLabels"/>), on one line or, when one line would make them
/// too small, on two lines broken where a reader would ("T-shirt/top" / "(p = 1.000)").
/// </summary>
public static class ImageGridPainter
{
    const float Cell = 100, Pad = 5, LabelWidth = Cell - 4, LineSpacing = 1.15f;
    /// <summary>Label sizes in logical units (a cell is 100 wide): as large as fits, never below the minimum.</summary>
    public const float MaxLabelSize = 17, MinOneLineSize = 13, MinLabelSize = 11;

    /// <summary>How a grid's labels are set: one size for all, and each label's lines.</summary>
    public sealed record LabelPlan(float Size, IReadOnlyList<string[]> Lines)
    {
        public int LineCount => Lines.Count == 0 ? 1 : Lines.Max(l => l.Length);
        public float Height => LineCount * Size * LineSpacing + 6;
    }

    public static float Aspect(ImageGridSpec spec, SKTypeface face)
    {
        var columns = Math.Max(1, Math.Min(spec.Columns, Math.Max(1, spec.Images.Count)));
        var rows = Math.Max(1, (spec.Images.Count + columns - 1) / columns);
        return rows * CellHeight(spec.Width, spec.Height, PlanLabels(spec.Images.Select(i => i.Label).ToList(), face)) / (columns * Cell);
    }

    static float CellHeight(int width, int height, LabelPlan plan) => (Cell - 2 * Pad) * height / Math.Max(1, width) + 2 * Pad + plan.Height;

    /// <summary>
    /// The largest size (in steps of 0.5, at most <see cref="MaxLabelSize"/>) at which every label fits on one line, if
    /// that is at least <see cref="MinOneLineSize"/>; else the largest at which every label fits on two lines (at least
    /// <see cref="MinLabelSize"/>; what still does not fit is cut with an ellipsis).
    /// </summary>
    public static LabelPlan PlanLabels(IReadOnlyList<string> labels, SKTypeface face)
    {
        using var font = new SKFont(face, 100) { LinearMetrics = true, Subpixel = true };
        float Width(string t, float size) => font.MeasureText(t) * size / 100; // advance widths scale linearly
        static float Step(float size) => MathF.Floor(size * 2) / 2;
        if (labels.Count == 0) return new LabelPlan(MaxLabelSize, []);

        var oneLine = Step(labels.Min(l => LabelWidth * 100 / Math.Max(1e-3f, font.MeasureText(l))));
        if (oneLine >= MinOneLineSize)
            return new LabelPlan(Math.Min(MaxLabelSize, oneLine), labels.Select(l => new[] { l }).ToList());

        var split = labels.Select(l => Break(l, t => Width(t, 100))).ToList();
        var size = Math.Clamp(Step(split.Min(parts => LabelWidth * 100 / Math.Max(1e-3f, parts.Max(p => Width(p, 100))))), MinLabelSize, MaxLabelSize);
        var lines = labels.Select((l, i) => Width(l, size) <= LabelWidth ? new[] { l } : split[i].Select(p => Fit(p, t => Width(t, size))).ToArray()).ToList();
        return new LabelPlan(size, lines);
    }

    public static void Draw(SKCanvas canvas, SKRect rect, IReadOnlyList<(SKBitmap Image, string Label)> images, int columns, SKTypeface typeface)
    {
        if (images.Count == 0) return;
        columns = Math.Max(1, Math.Min(columns, images.Count));
        var rows = (images.Count + columns - 1) / columns;
        var plan = PlanLabels(images.Select(i => i.Label).ToList(), typeface);
        var cellH = CellHeight(images[0].Image.Width, images[0].Image.Height, plan);
        var logicalW = columns * Cell;
        var scale = Math.Min(rect.Width / logicalW, rect.Height / (rows * cellH));
        canvas.Save();
        canvas.Translate(rect.Left + (rect.Width - logicalW * scale) / 2, rect.Top);
        canvas.Scale(scale);
        using var font = new SKFont(typeface, plan.Size) { LinearMetrics = true, Subpixel = true };
        using var text = new SKPaint { Color = new SKColor(0x20, 0x20, 0x20), IsAntialias = true };
        using var frame = new SKPaint { Color = new SKColor(0xB0, 0xB0, 0xB0), IsStroke = true, StrokeWidth = 0.8f };
        var sampling = new SKSamplingOptions(SKFilterMode.Nearest, SKMipmapMode.None);
        for (var i = 0; i < images.Count; i++)
        {
            var (image, _) = images[i];
            var x = i % columns * Cell;
            var y = i / columns * cellH;
            var imgW = Cell - 2 * Pad;
            var imgH = imgW * image.Height / Math.Max(1, image.Width);
            var dest = SKRect.Create(x + Pad, y + Pad, imgW, imgH);
            using (var img = SKImage.FromBitmap(image)) canvas.DrawImage(img, dest, sampling);
            canvas.DrawRect(dest, frame);
            var lines = plan.Lines[i];
            for (var k = 0; k < lines.Length; k++)
                canvas.DrawText(lines[k], x + Cell / 2, y + Pad + imgH + 2 + plan.Size * (1 + k * LineSpacing), SKTextAlign.Center, font, text);
        }
        canvas.Restore();
    }

    /// <summary>Share of the text width a grid of that many columns takes, so cells stay about 55 pt wide.</summary>
    public static float WidthFraction(int count, int columns, float textWidth) =>
        Math.Clamp(Math.Max(1, Math.Min(columns, count)) * 55f / textWidth, 0.25f, 1f);

    /// <summary>
    /// A label on two lines, broken at the space that makes the wider line narrowest among the good ones: not inside
    /// parentheses and not next to "=" (so "(p = 1.000)" and "k = 5" stay whole); any space if there is no good one.
    /// A label without a space stays one line.
    /// </summary>
    public static string[] Break(string label, Func<string, float> width)
    {
        var spaces = Enumerable.Range(0, label.Length).Where(i => label[i] == ' ').ToList();
        if (spaces.Count == 0) return [label];
        var good = spaces.Where(i => Depth(label, i) == 0 && !NextToOperator(label, i)).ToList();
        var best = (good.Count > 0 ? good : spaces).MinBy(i => Math.Max(width(label[..i]), width(label[(i + 1)..])));
        return [label[..best], label[(best + 1)..]];
    }

    static int Depth(string s, int at) => s[..at].Count(c => c is '(' or '[') - s[..at].Count(c => c is ')' or ']');

    static bool NextToOperator(string s, int at) =>
        (at > 0 && "=<>≤≥≈±×+".Contains(s[at - 1])) || (at + 1 < s.Length && "=<>≤≥≈±×".Contains(s[at + 1]));

    static string Fit(string line, Func<string, float> width)
    {
        if (width(line) <= LabelWidth) return line;
        var t = line;
        while (t.Length > 1 && width(t + "…") > LabelWidth) t = t[..^1];
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
