using SkiaSharp;

namespace Harness.Core.Reporting.Document;

/// <summary>How a run of text is set: size in points, weight, slant, monospace, colour.</summary>
public sealed record TextStyle(float Size, bool Bold = false, bool Italic = false, bool Mono = false, SKColor? Color = null)
{
    public TextStyle WithBold(bool bold = true) => this with { Bold = bold };
    public TextStyle WithItalic(bool italic = true) => this with { Italic = italic };
    public TextStyle WithSize(float size) => this with { Size = size };
    public TextStyle WithColor(SKColor color) => this with { Color = color };
    /// <summary>Inline code (`harness run`): the monospace face, a little smaller so that it matches the text's x-height.</summary>
    public TextStyle AsCode() => this with { Mono = true, Size = Size * 0.95f };
}

/// <summary>Horizontal alignment of text in a line or a table cell.</summary>
public enum TextAlign { Left, Center, Right, Justify }
