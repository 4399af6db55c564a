using SkiaSharp;

namespace Harness.Core.Reporting.Document;

/// <summary>A table column: header text and alignment of its cells.</summary>
public sealed record TableColumn(string Header, TextAlign Align = TextAlign.Left);

/// <summary>A table cell: text, optionally bold, coloured or shaded.</summary>
public sealed record TableCell(string Text, bool Bold = false, SKColor? Color = null, SKColor? Background = null)
{
    public static implicit operator TableCell(string text) => new(text);
}

/// <summary>
/// Column widths for a table of a given width: each column gets at least its longest word, and the rest of the
/// width is shared in proportion to how much more the column's longest cell needs.
/// </summary>
public static class TableGeometry
{
    public const float PadX = 4f, PadY = 2.6f;

    public static float[] ColumnWidths(IReadOnlyList<TableColumn> columns, IReadOnlyList<IReadOnlyList<TableCell>> rows,
        FontSet fonts, TextStyle style, float width)
    {
        var n = columns.Count;
        var natural = new float[n];
        var min = new float[n];
        for (var c = 0; c < n; c++)
        {
            Consider(c, columns[c].Header, style.WithBold());
            foreach (var r in rows)
                if (c < r.Count) Consider(c, r[c].Text, r[c].Bold ? style.WithBold() : style);
        }
        void Consider(int c, string text, TextStyle s)
        {
            text = InlineMarkup.Plain(text);
            foreach (var line in text.Split('\n'))
                natural[c] = Math.Max(natural[c], fonts.Measure(line, s) + 2 * PadX);
            foreach (var word in text.Split([' ', '\n'], StringSplitOptions.RemoveEmptyEntries))
                min[c] = Math.Max(min[c], Math.Min(fonts.Measure(word, s) + 2 * PadX, width / n));
        }
        // Short columns (verdicts, numbers, "0 / 0.25") keep their natural width; the long ones wrap.
        for (var c = 0; c < n; c++)
            if (natural[c] <= width / n) min[c] = natural[c];
        var sumNatural = natural.Sum();
        var sumMin = min.Sum();
        if (sumNatural <= width)
            return natural.Select(w => w + (width - sumNatural) * w / sumNatural).ToArray();
        if (sumMin >= width)
            return min.Select(w => w * width / sumMin).ToArray();
        var want = sumNatural - sumMin;
        return natural.Select((w, c) => min[c] + (width - sumMin) * (w - min[c]) / want).ToArray();
    }
}
