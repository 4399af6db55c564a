using SkiaSharp;

namespace Harness.Core.Reporting.Document;

/// <summary>Page geometry, typography and PDF metadata of a document. Sizes are PDF points (1/72 inch).</summary>
public sealed record DocumentSettings
{
    /// <summary>A4 portrait.</summary>
    public float PageWidth { get; init; } = 595.28f;
    public float PageHeight { get; init; } = 841.89f;
    public float MarginLeft { get; init; } = 62f;
    public float MarginRight { get; init; } = 62f;
    public float MarginTop { get; init; } = 64f;
    public float MarginBottom { get; init; } = 60f;

    /// <summary>Requested family; resolved with <see cref="FontSet.Resolve"/> (Arial → Liberation Sans when Arial is absent).</summary>
    public string FontFamily { get; init; } = "Liberation Sans";
    public float FontSize { get; init; } = 10.5f;
    /// <summary>Where typefaces come from (installed and shipped fonts; tests hide installed ones to play a fresh machine).</summary>
    public FontLibrary Fonts { get; init; } = FontLibrary.Default;
    /// <summary>Body paragraphs justified (true) or ragged right (false).</summary>
    public bool Justify { get; init; } = true;
    /// <summary>Line height as a multiple of the font size.</summary>
    public float LineSpacing { get; init; } = 1.25f;

    /// <summary>Running header: left and right texts; page 1 carries no header when <see cref="TitlePage"/> is set.</summary>
    public string HeaderLeft { get; init; } = "";
    public string HeaderRight { get; init; } = "";
    /// <summary>Footer page label; {0} = page number, {1} = page count.</summary>
    public string FooterFormat { get; init; } = "Page {0} of {1}";
    public bool TitlePage { get; init; } = true;

    public string Title { get; init; } = "";
    public string Author { get; init; } = "";
    public string Subject { get; init; } = "";
    public string Keywords { get; init; } = "";
    public string Creator { get; init; } = "Harness";
    /// <summary>Creation date written into the PDF (pass a fixed one for reproducible files).</summary>
    public DateTime? Created { get; init; }

    public SKColor TextColor { get; init; } = new(0x20, 0x20, 0x20);
    public SKColor AccentColor { get; init; } = new(0x1F, 0x4E, 0x79);

    public float ContentWidth => PageWidth - MarginLeft - MarginRight;
    public float ContentHeight => PageHeight - MarginTop - MarginBottom;
}
