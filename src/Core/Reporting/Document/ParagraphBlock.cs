using SkiaSharp;

namespace Harness.Core.Reporting.Document;

/// <summary>
/// Wrapped text that may split between lines across pages (never leaving a single first line at a page
/// bottom when the paragraph has more). Also serves list items (<see cref="Marker"/>) and quotes (<see cref="Bar"/>).
/// </summary>
public sealed class ParagraphBlock : Block
{
    readonly Func<string> text;
    readonly int startLine;
    IReadOnlyList<TextLine>? lines;
    float linesWidth = -1;

    public ParagraphBlock(string text, TextStyle? style = null, TextAlign? align = null) : this(() => text, style, align) { }

    /// <summary>Text evaluated at layout time, for values known only once the document is complete (word counts).</summary>
    public ParagraphBlock(Func<string> text, TextStyle? style = null, TextAlign? align = null)
    {
        this.text = text;
        Style = style;
        Align = align;
    }

    ParagraphBlock(ParagraphBlock from, int startLine) : this(from.text, from.Style, from.Align)
    {
        this.startLine = startLine;
        Indent = from.Indent; Marker = from.Marker; Bar = from.Bar; Keep = from.Keep;
        lines = from.lines; linesWidth = from.linesWidth;
        SpaceAfter = from.SpaceAfter;
    }

    public TextStyle? Style { get; }
    /// <summary>null: the document's default (justified or ragged).</summary>
    public TextAlign? Align { get; }
    public float Indent { get; init; }
    /// <summary>Drawn in the indent on the first line, e.g. "•" or "3.".</summary>
    public string? Marker { get; init; }
    /// <summary>A vertical rule in the indent (quotations).</summary>
    public SKColor? Bar { get; init; }

    public override string PlainText => text();
    /// <summary>Keep with the next block (e.g. a quotation introducing what follows).</summary>
    public bool Keep { get; init; }
    public override bool KeepWithNext => Keep;

    public override LayoutResult Layout(LayoutContext ctx, float width, float available, bool atPageTop)
    {
        var style = Style ?? ctx.Body;
        var align = Align ?? (ctx.Settings.Justify ? TextAlign.Justify : TextAlign.Left);
        var textWidth = width - Indent;
        if (lines is null || linesWidth != textWidth)
        {
            lines = TextLayout.Wrap(text(), style, ctx.Fonts, textWidth, align);
            linesWidth = textWidth;
        }
        var (ascent, lineHeight) = ctx.Fonts.LineMetrics(style, ctx.Settings.LineSpacing);
        var remaining = lines.Count - startLine;
        var fit = Math.Min(remaining, (int)Math.Floor((available + 0.01f) / lineHeight));
        if (fit < remaining && !atPageTop)
        {
            // Widow and orphan control: a split leaves at least two lines on each page.
            if (remaining - fit < 2) fit = remaining - 2;
            if (fit < 2) fit = 0;
        }
        if (fit <= 0)
        {
            if (!atPageTop) return LayoutResult.Nothing;
            fit = 1;
        }
        var all = lines;
        var first = startLine;
        var count = fit;
        var marker = startLine == 0 ? Marker : null;
        var bar = Bar;
        var indent = Indent;
        var fragment = new Fragment(count * lineHeight, (dc, x, y) =>
        {
            if (bar is { } color)
            {
                using var p = new SKPaint { Color = color, IsAntialias = true };
                dc.Canvas.DrawRect(x + 2, y + 1, 2.5f, count * lineHeight - 2, p);
            }
            if (marker is not null)
                dc.Text(marker, x + indent - dc.Fonts.Measure(marker, style) - style.Size * 0.5f, y + ascent, style);
            for (var i = 0; i < count; i++)
                foreach (var w in all[first + i].Words)
                    dc.Word(w, x + indent + w.X, y + i * lineHeight + ascent, style);
        });
        return new LayoutResult(fragment, fit < remaining ? new ParagraphBlock(this, startLine + fit) : null);
    }
}
