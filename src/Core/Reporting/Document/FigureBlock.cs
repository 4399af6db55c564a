using SkiaSharp;

namespace Harness.Core.Reporting.Document;

/// <summary>
/// A drawing (vector, via a callback onto the PDF canvas) with a numbered caption below. Never split: when it does not
/// fit in the rest of a page it is scaled down (keeping its aspect) to as little as <see cref="MinScale"/> rather than
/// leave the space empty, and otherwise moves to the next page; it shrinks further only when taller than an empty page.
/// </summary>
public sealed class FigureBlock : Block
{
    readonly Action<SKCanvas, SKRect> draw;

    /// <param name="aspect">height / width of the drawing</param>
    /// <param name="widthFraction">share of the text width the drawing takes (centred)</param>
    public FigureBlock(Action<SKCanvas, SKRect> draw, float aspect, string? caption, string? label, float widthFraction = 1f)
    {
        this.draw = draw;
        Aspect = aspect; Caption = caption; Label = label; WidthFraction = Math.Clamp(widthFraction, 0.1f, 1f);
    }

    public float Aspect { get; }
    public string? Caption { get; }
    /// <summary>"Figure 2", assigned when the figure is added to a document.</summary>
    public string? Label { get; }
    public float WidthFraction { get; }

    /// <summary>Smallest scale a figure is set at to stay on the page it would start (its text stays readable).</summary>
    public const float MinScale = 0.7f;

    /// <summary>Draws the figure into a rectangle (a PDF page, or a figure file of the LaTeX export).</summary>
    public void Render(SKCanvas canvas, SKRect rect) => draw(canvas, rect);

    public override LayoutResult Layout(LayoutContext ctx, float width, float available, bool atPageTop)
    {
        var captionStyle = ctx.Body.WithSize(ctx.Settings.FontSize * 0.95f);
        var text = Label is null ? Caption : $"{Label}: {Caption}";
        var (ascent, lineHeight) = ctx.Fonts.LineMetrics(captionStyle, 1.2f);
        IReadOnlyList<TextLine> lines = text is null ? [] : TextLayout.Wrap(text, captionStyle, ctx.Fonts, width * 0.92f, TextAlign.Left);
        var captionHeight = lines.Count > 0 ? lines.Count * lineHeight + 5 : 0;

        var w = width * WidthFraction;
        var h = w * Aspect;
        if (h + captionHeight > available)
        {
            var scale = (available - captionHeight) / h;
            if (!atPageTop && scale < MinScale) return LayoutResult.Nothing;
            h = Math.Max(20, available - captionHeight);
            w = h / Aspect;
        }
        var single = lines.Count == 1;
        return new LayoutResult(new Fragment(h + captionHeight, (dc, x, y) =>
        {
            var rect = SKRect.Create(x + (width - w) / 2, y, w, h);
            dc.Canvas.Save();
            dc.Canvas.ClipRect(rect);
            draw(dc.Canvas, rect);
            dc.Canvas.Restore();
            var top = y + h + 5;
            var offset = single ? (width - lines[0].Width) / 2 : width * 0.04f;
            for (var i = 0; i < lines.Count; i++)
                foreach (var word in lines[i].Words)
                    dc.Word(word, x + offset + word.X, top + i * lineHeight + ascent, captionStyle);
        }), null);
    }
}
