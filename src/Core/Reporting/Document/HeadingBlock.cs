using SkiaSharp;

namespace Harness.Core.Reporting.Document;

/// <summary>A (numbered) section heading: kept with the block after it, and a named PDF destination for the TOC.</summary>
public sealed class HeadingBlock : Block
{
    public HeadingBlock(string number, string text, int level, string anchor)
    {
        Number = number; Text = text; Level = level; Anchor = anchor;
    }

    public string Number { get; }
    public string Text { get; }
    public int Level { get; }
    public string Anchor { get; }
    public string FullText => Number.Length > 0 ? $"{Number}  {Text}" : Text;
    public override bool KeepWithNext => true;
    public override string PlainText => Text;

    public static TextStyle StyleFor(int level, float body) => level switch
    {
        1 => new TextStyle(body * 1.45f, Bold: true),
        2 => new TextStyle(body * 1.2f, Bold: true),
        _ => new TextStyle(body * 1.05f, Bold: true),
    };

    public override LayoutResult Layout(LayoutContext ctx, float width, float available, bool atPageTop)
    {
        var style = StyleFor(Level, ctx.Settings.FontSize) with { Color = ctx.Settings.AccentColor };
        var numberWidth = Number.Length > 0 ? ctx.Fonts.Measure(Number + "  ", style) : 0;
        var lines = TextLayout.Wrap(Text, style, ctx.Fonts, width - numberWidth, TextAlign.Left);
        var (ascent, lineHeight) = ctx.Fonts.LineMetrics(style, 1.2f);
        var rule = Level == 1 ? 4f : 0f;
        var height = lines.Count * lineHeight + rule;
        if (height > available && !atPageTop) return LayoutResult.Nothing;
        return new LayoutResult(new Fragment(height, (dc, x, y) =>
        {
            dc.Canvas.DrawNamedDestinationAnnotation(new SKPoint(x, y - 4), Anchor);
            if (Number.Length > 0) dc.Text(Number, x, y + ascent, style);
            for (var i = 0; i < lines.Count; i++)
                foreach (var w in lines[i].Words)
                    dc.Word(w, x + numberWidth + w.X, y + i * lineHeight + ascent, style);
            if (rule > 0)
            {
                using var p = new SKPaint { Color = dc.Settings.AccentColor.WithAlpha(90), StrokeWidth = 0.6f, IsStroke = true };
                dc.Canvas.DrawLine(x, y + height - 1.5f, x + width, y + height - 1.5f, p);
            }
        }, Anchor), null);
    }
}
