using SkiaSharp;

namespace Harness.Core.Reporting.Document;

/// <summary>
/// Table of contents over the document's headings: one line each with dot leaders and the page number,
/// the whole line a link to the heading's named destination. Page numbers are read when drawing.
/// </summary>
public sealed class TocBlock : Block
{
    readonly IReadOnlyList<HeadingBlock> headings;
    readonly int start;
    readonly int maxLevel;

    public TocBlock(IReadOnlyList<HeadingBlock> headings, int maxLevel = 2, int start = 0)
    {
        this.headings = headings; this.maxLevel = maxLevel; this.start = start;
    }

    /// <summary>Deepest heading level listed.</summary>
    public int MaxLevel => maxLevel;

    public override LayoutResult Layout(LayoutContext ctx, float width, float available, bool atPageTop)
    {
        var entries = headings.Where(h => h.Level <= maxLevel).Skip(start).ToList();
        var body = ctx.Body;
        var (ascent, lineHeight) = ctx.Fonts.LineMetrics(body, 1.45f);
        var fit = Math.Min(entries.Count, (int)Math.Floor((available + 0.01f) / lineHeight));
        if (fit == 0 && entries.Count > 0) { if (!atPageTop) return LayoutResult.Nothing; fit = 1; }
        var shown = entries.Take(fit).ToList();
        var fragment = new Fragment(fit * lineHeight, (dc, x, y) =>
        {
            using var dots = new SKPaint { Color = SKColors.Gray, IsAntialias = true };
            for (var i = 0; i < shown.Count; i++)
            {
                var h = shown[i];
                var style = h.Level == 1 ? body.WithBold() : body;
                var indent = (h.Level - 1) * body.Size * 1.5f;
                var top = y + i * lineHeight;
                var page = dc.AnchorPages.TryGetValue(h.Anchor, out var p) ? p.ToString() : "?";
                var pageWidth = dc.Fonts.Measure(page, style);
                var label = dc.Fonts.Ellipsize(h.FullText, style, width - indent - pageWidth - body.Size * 3);
                var labelWidth = dc.Fonts.Measure(label, style);
                dc.Text(label, x + indent, top + ascent, style);
                dc.Text(page, x + width - pageWidth, top + ascent, style);
                for (var dx = x + indent + labelWidth + body.Size; dx < x + width - pageWidth - body.Size * 0.8f; dx += body.Size * 0.6f)
                    dc.Canvas.DrawCircle(dx, top + ascent - 1, 0.45f, dots);
                dc.Canvas.DrawLinkDestinationAnnotation(new SKRect(x, top, x + width, top + lineHeight), h.Anchor);
            }
        });
        return new LayoutResult(fragment, fit < entries.Count ? new TocBlock(headings, maxLevel, start + fit) : null);
    }
}
