using System.Globalization;
using System.Text;
using SkiaSharp;

namespace Harness.Core.Reporting.Document;

/// <summary>What <see cref="LatexWriter.Write"/> wrote.</summary>
/// <param name="Unmapped">characters with no LaTeX spelling (written as "?"); empty when the source says everything the PDF does</param>
public sealed record LatexFiles(string TexPath, int Figures, int Tables, IReadOnlyCollection<char> Unmapped);

/// <summary>
/// The second renderer of a <see cref="ReportDocument"/>: the same blocks as pdfLaTeX source, so the sections, grade
/// sheet, tables, captions and numbers are the PDF's. Headings keep the document's numbers (and feed the contents),
/// tables become <c>booktabs</c> longtables with the widths the PDF gives their columns, figures are drawn by the same
/// code into vector PDF files under <c>figures/</c>, and a <c>latexmkrc</c> beside it makes <c>latexmk</c> build it.
/// </summary>
public static class LatexWriter
{
    public const string LatexmkRc = """
        # Written by Harness: `latexmk` in this folder builds report.pdf with pdfLaTeX.
        $pdf_mode = 1;
        $pdflatex = 'pdflatex -interaction=nonstopmode -halt-on-error -file-line-error %O %S';
        @default_files = ('report.tex');
        """;

    public static LatexFiles Write(ReportDocument doc, string texPath)
    {
        var full = Path.GetFullPath(texPath);
        var dir = Path.GetDirectoryName(full)!;
        var figuresDir = Path.Combine(dir, "figures");
        Directory.CreateDirectory(figuresDir);
        var s = doc.Settings;
        using var fonts = FontSet.Resolve(s.FontFamily, s.Fonts);
        var layout = new LayoutContext(s, fonts);
        var text = new LatexText();
        var body = new StringBuilder();
        var figureFiles = new HashSet<string>();
        int figures = 0, tables = 0;
        string? list = null; // open list environment ("itemize" or "enumerate")

        void CloseList()
        {
            if (list is null) return;
            body.AppendLine($@"\end{{{list}}}");
            list = null;
        }

        foreach (var block in doc.Blocks)
        {
            if (block is ParagraphBlock { Marker: { } marker } item)
            {
                var kind = char.IsDigit(marker[0]) ? "enumerate" : "itemize";
                if (list != kind) { CloseList(); body.AppendLine($@"\begin{{{kind}}}"); list = kind; }
                body.AppendLine(@"\item " + Styled(item, s, text));
                continue;
            }
            CloseList();
            switch (block)
            {
                case PageBreakBlock: body.AppendLine(@"\clearpage"); break;
                case SpacerBlock sp: body.AppendLine($@"\vspace*{{{LatexText.Pt(sp.Height)}}}"); break;
                case TocBlock toc: body.AppendLine($@"\setcounter{{tocdepth}}{{{toc.MaxLevel}}}\harnesstoc"); break;
                case HeadingBlock h: body.AppendLine(Heading(h, text)); break;
                case ParagraphBlock p: body.AppendLine(Paragraph(p, s, text)); break;
                case TableBlock t:
                    body.AppendLine(Table(t, layout, text));
                    if (t.Label is not null) tables++;
                    break;
                case FigureBlock f:
                    var name = $"figure-{++figures:00}.pdf";
                    WriteFigurePdf(f, Path.Combine(figuresDir, name), s.ContentWidth * f.WidthFraction);
                    figureFiles.Add(name);
                    body.AppendLine(Figure(f, name, s, text));
                    break;
                default: throw new NotSupportedException($"the LaTeX writer has no rendering for {block.GetType().Name}");
            }
        }
        CloseList();

        var header = fonts.Ellipsize(s.HeaderLeft, new TextStyle(s.FontSize * 0.8f), s.ContentWidth - fonts.Measure(s.HeaderRight, new TextStyle(s.FontSize * 0.8f)) - 12);
        var source = Preamble(s, text, header) + body + "\n\\end{document}\n";
        WriteAtomic(full, source);
        WriteAtomic(Path.Combine(dir, "latexmkrc"), LatexmkRc.Replace("report.tex", Path.GetFileName(full)) + "\n");
        // Figures of an earlier, longer report are not this report's.
        foreach (var old in Directory.GetFiles(figuresDir, "figure-*.pdf"))
            if (!figureFiles.Contains(Path.GetFileName(old))) File.Delete(old);
        return new LatexFiles(full, figures, tables, text.Unmapped);
    }

    // The preamble with «NAME» slots (plain text, not an interpolated string: LaTeX is all braces).
    const string PreambleTemplate = """
        % Written by Harness from the same document as the PDF report (src/Core/Reporting/Document/LatexWriter.cs).
        % Build it with `latexmk` in this folder (the latexmkrc beside it runs pdfLaTeX).
        \documentclass[«CLASSSIZE»pt,a4paper]{article}
        \usepackage[T1]{fontenc}
        \usepackage[utf8]{inputenc}
        \usepackage{textcomp}
        % «FAMILY»: Helvetica (URW Nimbus Sans) has Arial's and Liberation Sans's letter widths.
        \IfFileExists{t1phv.fd}{\usepackage{helvet}}{}
        \IfFileExists{t1pcr.fd}{\usepackage{courier}}{}
        \renewcommand{\familydefault}{\sfdefault}
        \usepackage[a4paper,left=«ML»,right=«MR»,top=«MT»,bottom=«MB»,headsep=14pt,footskip=30pt]{geometry}
        \usepackage{graphicx}
        \usepackage{array}
        \usepackage{longtable}
        \usepackage{booktabs}
        \usepackage{xcolor}
        \usepackage{fancyhdr}
        \usepackage[font=small,labelsep=colon,justification=raggedright,singlelinecheck=true,skip=4pt]{caption}
        \usepackage[hidelinks,pdftitle={«TITLE»},pdfauthor={«AUTHOR»},pdfsubject={«SUBJECT»},pdfkeywords={«KEYWORDS»},pdfcreator={«CREATOR»}]{hyperref}
        \definecolor{accent}{RGB}{«ACCENT»}
        \definecolor{bodytext}{RGB}{«TEXTCOLOR»}
        \definecolor{furniture}{RGB}{102,102,102}
        \renewcommand{\normalsize}{\fontsize{«SIZE»}{«LEAD»}\selectfont}
        \normalsize
        \setlength{\parindent}{0pt}
        \setlength{\parskip}{«PARSKIP» plus 2pt}
        \setlength{\tabcolsep}{«PADX»}
        \renewcommand{\arraystretch}{1.2}
        \setlength{\LTleft}{0pt}
        \setlength{\LTright}{0pt}
        \setlength{\LTpre}{«LTPRE»}
        \setlength{\LTpost}{«LTPOST»}
        \setcounter{secnumdepth}{0}
        \makeatletter
        \newcommand{\harnesstoc}{\@starttoc{toc}}
        % Contents lines as the PDF sets them: dotted leaders, no extra space between sections.
        \renewcommand*\l@section{\@dottedtocline{1}{0pt}{2.3em}}
        \makeatother
        \newenvironment{harnessquote}{\list{}{\leftmargin=«QUOTEINDENT»\rightmargin=0pt\topsep=0pt}\item\relax\itshape\color[RGB]{64,64,64}}{\endlist}
        \pagestyle{fancy}
        \fancyhf{}
        \lhead{\footnotesize\color{furniture}«HEADERLEFT»}
        \rhead{\footnotesize\color{furniture}«HEADERRIGHT»}
        \cfoot{\footnotesize\color{furniture}«FOOTER»}
        \renewcommand{\headrulewidth}{0.4pt}
        \fancypagestyle{harnesstitle}{\fancyhf{}\renewcommand{\headrulewidth}{0pt}\cfoot{\footnotesize\color{furniture}«FOOTER»}}
        \AtEndDocument{\label{harness-last-page}}
        \begin{document}
        \color{bodytext}
        «TITLESTYLE»

        """;

    static string Preamble(DocumentSettings s, LatexText text, string headerLeft)
    {
        var size = s.FontSize;
        string Meta(string v) => text.Escape(v).Replace(",", "{,}");
        var footer = text.Escape(string.Format(CultureInfo.InvariantCulture, s.FooterFormat, "\u0001", "\u0002"))
            .Replace("\u0001", @"\thepage{}").Replace("\u0002", @"\pageref*{harness-last-page}");
        var slots = new Dictionary<string, string>
        {
            ["CLASSSIZE"] = (size >= 11.5f ? 12 : size >= 10.75f ? 11 : 10).ToString(CultureInfo.InvariantCulture),
            ["FAMILY"] = text.Escape(s.FontFamily),
            ["ML"] = LatexText.Pt(s.MarginLeft), ["MR"] = LatexText.Pt(s.MarginRight), ["MT"] = LatexText.Pt(s.MarginTop), ["MB"] = LatexText.Pt(s.MarginBottom),
            ["TITLE"] = Meta(s.Title), ["AUTHOR"] = Meta(s.Author), ["SUBJECT"] = Meta(s.Subject), ["KEYWORDS"] = Meta(s.Keywords), ["CREATOR"] = Meta(s.Creator),
            ["ACCENT"] = LatexText.Color(s.AccentColor), ["TEXTCOLOR"] = LatexText.Color(s.TextColor),
            ["SIZE"] = LatexText.Pt(size), ["LEAD"] = LatexText.Pt(size * s.LineSpacing), ["PARSKIP"] = LatexText.Pt(size * 0.6f),
            ["PADX"] = LatexText.Pt(TableGeometry.PadX), ["LTPRE"] = LatexText.Pt(size * 0.4f), ["LTPOST"] = LatexText.Pt(size * 1.1f),
            ["QUOTEINDENT"] = LatexText.Pt(size * 1.4f),
            ["HEADERLEFT"] = text.Escape(headerLeft), ["HEADERRIGHT"] = text.Escape(s.HeaderRight), ["FOOTER"] = footer,
            ["TITLESTYLE"] = s.TitlePage ? @"\thispagestyle{harnesstitle}" : "",
        };
        var result = PreambleTemplate;
        foreach (var (k, v) in slots) result = result.Replace($"«{k}»", v);
        return result;
    }

    static string Heading(HeadingBlock h, LatexText text)
    {
        var command = h.Level switch { 1 => "section", 2 => "subsection", _ => "subsubsection" };
        var title = text.Marked(h.Text);
        var shown = h.Number.Length > 0 ? $@"{h.Number}\quad {title}" : title;
        var toc = h.Number.Length > 0 ? $@"\protect\numberline{{{h.Number}}}{title}" : title;
        return $@"\phantomsection\{command}*{{\color{{accent}}{shown}}}\addcontentsline{{toc}}{{{command}}}{{{toc}}}";
    }

    static string Paragraph(ParagraphBlock p, DocumentSettings s, LatexText text)
    {
        var content = Styled(p, s, text);
        if (content.Length == 0) return "";
        if (p.Bar is not null) return $@"\begin{{harnessquote}}{content}\end{{harnessquote}}";
        var align = p.Align ?? (s.Justify ? TextAlign.Justify : TextAlign.Left);
        var setup = align switch { TextAlign.Left => @"\raggedright ", TextAlign.Center => @"\centering ", TextAlign.Right => @"\raggedleft ", _ => "" };
        if (p.Indent > 0) setup += $@"\leftskip={LatexText.Pt(p.Indent)} ";
        return setup.Length > 0 ? $"{{{setup}{content}\\par}}" : content + "\n";
    }

    /// <summary>A paragraph's text in its style (size, weight, slant, monospace, colour).</summary>
    static string Styled(ParagraphBlock p, DocumentSettings s, LatexText text)
    {
        var raw = p.PlainText;
        if (raw.Trim().Length == 0) return "";
        var content = text.Marked(raw);
        if (p.Style is not { } st) return content;
        var sb = new StringBuilder();
        if (Math.Abs(st.Size - s.FontSize) > 0.05f)
            sb.Append($@"\fontsize{{{LatexText.Pt(st.Size)}}}{{{LatexText.Pt(st.Size * s.LineSpacing)}}}\selectfont ");
        if (st.Bold) sb.Append(@"\bfseries ");
        if (st.Italic) sb.Append(@"\itshape ");
        if (st.Mono) sb.Append(@"\ttfamily ");
        if (st.Color is { } c) sb.Append($@"\color[RGB]{{{LatexText.Color(c)}}}");
        return sb.Length == 0 ? content : $"{{{sb}{content}}}";
    }

    static string Table(TableBlock t, LayoutContext layout, LatexText text)
    {
        var style = layout.Body.WithSize(layout.Settings.FontSize * t.Scale);
        var widths = TableGeometry.ColumnWidths(t.Columns, t.Rows, layout.Fonts, style, layout.Settings.ContentWidth);
        var n = t.Columns.Count;
        var spec = string.Concat(t.Columns.Select((c, i) =>
            (c.Align switch { TextAlign.Right => @">{\raggedleft\arraybackslash}", TextAlign.Center => @">{\centering\arraybackslash}", _ => @">{\raggedright\arraybackslash}" })
            + $"p{{{LatexText.Pt(Math.Max(4, widths[i] - 2 * TableGeometry.PadX))}}}"));
        var head = string.Join(" & ", t.Columns.Select(c => @"\textbf{" + text.Marked(c.Header) + "}")) + @" \\";
        var sb = new StringBuilder();
        sb.AppendLine($@"{{\fontsize{{{LatexText.Pt(style.Size)}}}{{{LatexText.Pt(style.Size * 1.18f)}}}\selectfont");
        if (Number(t.Label) is { } number) sb.AppendLine($@"\setcounter{{table}}{{{number - 1}}}");
        sb.AppendLine($@"\begin{{longtable}}{{@{{}}{spec}@{{}}}}");
        if (t.Label is not null) sb.AppendLine($@"\caption{{{text.Marked(t.Caption ?? "")}}}\\");
        sb.AppendLine(@"\toprule").AppendLine(head).AppendLine(@"\midrule").AppendLine(@"\endfirsthead");
        if (t.Label is not null) sb.AppendLine($@"\multicolumn{{{n}}}{{@{{}}l}}{{\small {text.Escape(t.Label)} (continued)}}\\");
        sb.AppendLine(@"\toprule").AppendLine(head).AppendLine(@"\midrule").AppendLine(@"\endhead");
        sb.AppendLine(@"\bottomrule").AppendLine(@"\endlastfoot");
        foreach (var row in t.Rows)
            sb.AppendLine(string.Join(" & ", Enumerable.Range(0, n).Select(i => i < row.Count ? Cell(row[i], text) : "")) + @" \\");
        sb.AppendLine(@"\end{longtable}}");
        return sb.ToString();
    }

    static string Cell(TableCell cell, LatexText text)
    {
        // A cell's lines as paragraphs: \newline ends a line with \hfil, which would push the first line of a right-aligned cell left.
        var content = text.Marked(cell.Text).Replace(@"\newline ", @"\par ");
        if (cell.Bold) content = @"\textbf{" + content + "}";
        if (cell.Color is { } c) content = $@"\textcolor[RGB]{{{LatexText.Color(c)}}}{{{content}}}";
        return content;
    }

    static string Figure(FigureBlock f, string file, DocumentSettings s, LatexText text)
    {
        var width = s.ContentWidth * f.WidthFraction;
        var sb = new StringBuilder();
        sb.AppendLine(@"\begin{center}\begin{minipage}{\linewidth}\centering");
        sb.AppendLine($@"\includegraphics[width={LatexText.Pt(width)},height=0.8\textheight,keepaspectratio]{{figures/{file}}}");
        if (Number(f.Label) is { } number)
            sb.AppendLine($@"\setcounter{{figure}}{{{number - 1}}}\captionof{{figure}}{{{text.Marked(f.Caption ?? "")}}}");
        else if (f.Caption is { } caption) sb.AppendLine(@"\par\small " + text.Marked(caption));
        sb.AppendLine(@"\end{minipage}\end{center}");
        return sb.ToString();
    }

    /// <summary>The number of "Figure 3" / "Table 3" (LaTeX then prints the same number).</summary>
    static int? Number(string? label) =>
        label is not null && int.TryParse(label[(label.LastIndexOf(' ') + 1)..], NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : null;

    /// <summary>The figure drawn by the PDF's own code onto a one-page vector PDF of the size it has in the report.</summary>
    static void WriteFigurePdf(FigureBlock f, string path, float width)
    {
        var height = width * f.Aspect;
        var tmp = path + $".tmp-{Environment.ProcessId}";
        try
        {
            using (var stream = new FileStream(tmp, FileMode.Create, FileAccess.Write))
            using (var pdf = SKDocument.CreatePdf(stream, new SKDocumentPdfMetadata { RasterDpi = 300, Producer = "Harness report engine (SkiaSharp PDF)" })
                             ?? throw new InvalidOperationException("SkiaSharp could not create a PDF document"))
            {
                var canvas = pdf.BeginPage(width, height);
                var rect = SKRect.Create(0, 0, width, height);
                canvas.ClipRect(rect);
                f.Render(canvas, rect);
                pdf.EndPage();
                pdf.Close();
            }
            File.Move(tmp, path, overwrite: true);
        }
        finally { if (File.Exists(tmp)) File.Delete(tmp); }
    }

    static void WriteAtomic(string path, string content)
    {
        var tmp = path + $".tmp-{Environment.ProcessId}";
        try
        {
            File.WriteAllText(tmp, content, new UTF8Encoding(false));
            File.Move(tmp, path, overwrite: true);
        }
        finally { if (File.Exists(tmp)) File.Delete(tmp); }
    }
}
