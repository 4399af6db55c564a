using System.Diagnostics;
using System.Globalization;
using Harness.Core.Experiments;
using Harness.Core.Records;
using Harness.Core.Reporting.Document;
using Harness.Core.Requirements;
using SkiaSharp;

namespace Harness.Core.Reporting;

/// <summary>
/// Builds an assignment's PDF report from its tasks' run records, plus <c>&lt;pdf&gt;.junit.xml</c> and a
/// Gradescope results file beside it.
/// <para>Contents: title page (course, title, profile, device, seed, commit, versions, date, contents), grade sheet
/// (every requirement judged by <see cref="Requirement.Judge"/>), one section per task, appendix of reproduce commands.</para>
/// <para>Word count rule: the words of the task sections' headings, generated paragraphs and observations (the
/// main part) — not the title page, grade sheet, appendix, the quoted seed text, tables, figures or captions.
/// A word is a whitespace-separated token holding a letter or digit.</para>
/// </summary>
public static class AssignmentReport
{
    /// <summary>Writes the PDF, with its JUnit XML and Gradescope results beside it, all made visible together (see <see cref="ReportSet"/>).</summary>
    public static ReportResult Write(IAssignment assignment, Func<TaskDefinition, (RunRecord Record, string Folder)?> lookup,
        ReportContext ctx, string pdfPath, Func<TaskDefinition, Requirement, CitedCalibration?>? calibrations = null)
    {
        var sw = Stopwatch.StartNew();
        var report = Compose(assignment, lookup, ctx, calibrations);
        var (doc, grades) = (report.Document, report.Grades);
        // PDF, JUnit and results.json become visible together, or not at all (see ReportSet).
        var set = new ReportSet(pdfPath);
        var pdfName = Path.GetFileName(pdfPath);
        var junitName = Path.GetFileNameWithoutExtension(pdfPath) + ".junit.xml";
        DocumentStats stats;
        try
        {
            stats = doc.Save(set.Stage(pdfName));
            FaultInjection.At("report:after-first-file");
            File.WriteAllText(set.Stage(junitName), ResultFiles.JUnit(assignment, grades));
            File.WriteAllText(set.Stage(ctx.ResultsFileName), ResultFiles.Gradescope(grades));
            set.Publish();
        }
        catch
        {
            set.Discard();
            throw;
        }
        var dir = Path.GetDirectoryName(Path.GetFullPath(pdfPath))!;
        return new ReportResult(Path.GetFullPath(pdfPath), Path.Combine(dir, junitName), Path.Combine(dir, ctx.ResultsFileName), stats.Pages, stats.Bytes,
            stats.WordCount, assignment.Style.WordLimit, report.Earned, report.Possible, grades, stats.FontFamily, sw.Elapsed);
    }

    /// <summary>
    /// Writes the same document as LaTeX (<paramref name="texPath"/>, its figures as vector PDF and a latexmkrc beside
    /// it): the second renderer of the document <see cref="Compose"/> builds, so sections, grade sheet, captions and
    /// numbers are the PDF's.
    /// </summary>
    public static LatexResult WriteLatex(IAssignment assignment, Func<TaskDefinition, (RunRecord Record, string Folder)?> lookup,
        ReportContext ctx, string texPath, Func<TaskDefinition, Requirement, CitedCalibration?>? calibrations = null)
    {
        var sw = Stopwatch.StartNew();
        var report = Compose(assignment, lookup, ctx, calibrations);
        var written = LatexWriter.Write(report.Document, texPath);
        return new LatexResult(written.TexPath, written.Figures, written.Tables, report.Document.WordCount, assignment.Style.WordLimit,
            report.Earned, report.Possible, report.Grades, sw.Elapsed, written.Unmapped);
    }

    /// <summary>The report as a document (any renderer can write it) with the grade sheet it shows.</summary>
    public sealed record Composed(ReportDocument Document, IReadOnlyList<GradeRow> Grades, double Earned, double Possible, string FontFamily);

    /// <summary>Judges every requirement and lays the report out as blocks: title page, grade sheet, task sections, appendices.</summary>
    public static Composed Compose(IAssignment assignment, Func<TaskDefinition, (RunRecord Record, string Folder)?> lookup, ReportContext ctx,
        Func<TaskDefinition, Requirement, CitedCalibration?>? calibrations = null)
    {
        var tasks = ctx.Tasks is { Count: > 0 } only ? assignment.Tasks.Where(t => only.Contains(t.Id)).ToList() : assignment.Tasks;
        var outcomes = tasks.Select(t => GradeSheet.Find(t, lookup)).ToList();
        IReadOnlyList<GradeRow> grades = GradeSheet.Judge(outcomes);
        var style = assignment.Style;

        using var fonts = FontSet.Resolve(style.FontFamily, ctx.Fonts);
        var family = fonts.Family;
        var settings = new DocumentSettings
        {
            FontFamily = style.FontFamily,
            FontSize = style.FontSize,
            Fonts = ctx.Fonts,
            Title = $"{assignment.Title} — report",
            Author = ctx.Author ?? "Harness",
            Subject = $"{assignment.Course}: {assignment.Title} ({ctx.Profile} profile, seed {ctx.Seed})",
            Keywords = $"{assignment.Id}, {ctx.Profile}, seed {ctx.Seed}",
            Created = ctx.Date.UtcDateTime,
            HeaderLeft = $"{assignment.Course} — {assignment.Title}",
            HeaderRight = $"{ctx.Profile} · seed {ctx.Seed}",
        };
        if (style.FontRequired) grades = grades.Append(FontRow(style, fonts)).ToList();
        // The word limit is a requirement of the report itself: the main part is laid out once on its own to count it,
        // so that the grade sheet in front of it can show the verdict.
        int? mainWords = null;
        if (style.WordLimit is { } limit)
        {
            var count = new ReportDocument(settings).CountWords(true);
            foreach (var o in outcomes) TaskSection.Write(count, assignment.Id, o, grades, ctx with { ExportFigures = false }, family);
            mainWords = count.WordCount;
            grades = grades.Append(WordLimitRow(limit, mainWords.Value, style, tasks.Count < assignment.Tasks.Count ? tasks : null)).ToList();
        }
        var earned = grades.Sum(g => g.Earned);
        var possible = grades.Sum(g => g.Possible);
        var doc = new ReportDocument(settings);

        var dataNotes = outcomes.Where(o => o.Record?.DataNote is not null).GroupBy(o => o.Record!.DataNote!)
            .Select(g => $"{g.Key} (tasks {string.Join(", ", g.Select(o => o.Task.Id))}).").ToList();
        var cappedAt = outcomes.Select(o => o.Record?.EpochsLimit).Max();
        TitlePage(doc, assignment, ctx, fonts, earned, possible, () => doc.WordCount, tasks, dataNotes, cappedAt);
        GradeTable(doc, grades, earned, possible);
        var profile = Enum.TryParse<Configuration.Profile>(ctx.Profile, ignoreCase: true, out var p) ? p : Configuration.Profile.Full;
        ThresholdProvenance.Write(doc, ThresholdProvenance.Rows(outcomes, profile, calibrations));

        doc.PageBreak().CountWords(true);
        foreach (var o in outcomes)
            TaskSection.Write(doc, assignment.Id, o, grades, ctx, family);
        doc.CountWords(false);
        foreach (var extra in assignment.ExtraSections) Extra(doc, extra, ctx);

        Appendix(doc, assignment, tasks, ctx);
        AllValues(doc, outcomes);
        LongTables(doc, outcomes);

        if (mainWords is { } counted && counted != doc.WordCount)
            throw new InvalidOperationException($"word count changed between passes ({counted} vs {doc.WordCount})");
        return new Composed(doc, grades, earned, possible, family);
    }

    /// <summary>Task id of grade-sheet rows that judge the report rather than a task's record.</summary>
    public const string ReportTaskId = "report";

    static GradeRow WordLimitRow(int limit, int words, ReportStyle style, IReadOnlyList<TaskDefinition>? partial)
    {
        var text = $"The main part of the report has at most {limit:N0} words ({style.FontFamily} {Num(style.FontSize)} pt)";
        const string rule = "words of the task sections' headings, text and observations (seed quotations, tables, captions, grade sheet and appendix excluded)";
        var measured = words.ToString("N0", CultureInfo.InvariantCulture);
        var expected = "≤ " + limit.ToString("N0", CultureInfo.InvariantCulture);
        // A report of some tasks cannot pass a limit on the whole report (it can only show that the whole is over it).
        var verdict = partial is not null && words <= limit
            ? new Verdict(Outcome.NotRun, measured, expected, $"partial report (tasks {string.Join(", ", partial.Select(t => t.Id))}): the limit applies to the whole report")
            : Verdict.Of(words <= limit, measured, expected, rule);
        var requirement = new Requirement("word-limit", text, 1, _ => verdict);
        return new GradeRow(ReportTaskId, "Report", requirement, verdict);
    }

    /// <summary>
    /// The brief's font as a graded row: the family asked for, or a metric-compatible stand-in (same letter widths, so the
    /// same pages); anything else (DejaVu Sans on a machine without either) fails here, visibly, with the fix.
    /// </summary>
    static GradeRow FontRow(ReportStyle style, FontSet fonts)
    {
        var size = Num(style.FontSize);
        var text = $"The report is set in {style.FontFamily} {size} pt, or in a font metric-compatible with it";
        var source = fonts.Source == "shipped" ? "the harness's own copy" : "installed";
        var verdict = Verdict.Of(fonts.MetricCompatibleWithRequest, $"{fonts.Family} {size} pt", $"{style.FontFamily} {size} pt",
            fonts.MetricCompatibleWithRequest
                ? (string.Equals(fonts.Family, style.FontFamily, StringComparison.OrdinalIgnoreCase)
                    ? $"{fonts.Family} ({source})"
                    : $"{fonts.Family} ({source}) has {style.FontFamily}'s letter widths")
                : $"neither {style.FontFamily} nor a metric-compatible font was found, so the report fell back to {fonts.Family} ({source}): " +
                  "install fonts-liberation2 (or Arial), or restore the harness's fonts/ folder");
        var requirement = new Requirement("font", text, 1, _ => verdict);
        return new GradeRow(ReportTaskId, "Report", requirement, verdict);
    }

    static void TitlePage(ReportDocument doc, IAssignment a, ReportContext ctx, FontSet fonts, double earned, double possible, Func<int> words,
        IReadOnlyList<TaskDefinition> tasks, IReadOnlyList<string> dataNotes, int? cappedAt)
    {
        var family = fonts.Family;
        var size = doc.Settings.FontSize;
        var grey = new SKColor(0x55, 0x55, 0x55);
        doc.Space(size * 4);
        doc.Paragraph(a.Course, new TextStyle(size * 1.3f, Color: grey), TextAlign.Left);
        doc.Paragraph(a.Title, new TextStyle(size * 2.3f, Bold: true, Color: doc.Settings.AccentColor), TextAlign.Left);
        if (a.Description.Length > 0) doc.Paragraph(a.Description, new TextStyle(size, Color: grey), TextAlign.Left);
        foreach (var note in dataNotes) TaskSection.DataNote(doc, note);
        doc.Space(size);
        var wordLine = (Func<string>)(() => a.Style.WordLimit is { } limit
            ? $"{words()} of {limit} words (main part)" + (words() > limit ? " — OVER THE LIMIT" : "")
            : $"{words()} words (main part)");
        doc.Table(t =>
        {
            t.Column("Run").Column("");
            t.Row("Profile", ctx.Profile);
            t.Row("Seed", ctx.Seed.ToString(CultureInfo.InvariantCulture));
            t.Row("Device", ctx.Device);
            t.Row("Git commit", ctx.GitCommit ?? "unknown");
            t.Row("TorchSharp", ctx.TorchSharpVersion);
            t.Row("libtorch", ctx.LibTorchVersion);
            t.Row("Date", ctx.Date.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture));
            t.Row("Font", $"{family} {Num(a.Style.FontSize)} pt" + (family == a.Style.FontFamily ? "" : fonts.MetricCompatibleWithRequest
                ? $" (metric-compatible with {a.Style.FontFamily})" : $" (in place of {a.Style.FontFamily}, not metric-compatible)")
                + (fonts.Source == "shipped" ? ", shipped with the harness" : ""));
            if (tasks.Count < a.Tasks.Count) t.Row("Tasks", $"{string.Join(", ", tasks.Select(x => x.Id))} ({tasks.Count} of {a.Tasks.Count}: a partial report)");
            t.Row("Score", $"{Num(earned)} of {Num(possible)} points" + (cappedAt is { } cap ? $" — a trial with epochs capped at {cap}, not a grade" : ""));
        });
        doc.Paragraph(() => "Length: " + wordLine(), new TextStyle(size * 0.95f, Color: grey), TextAlign.Left);
        doc.Heading("Contents", level: 2, numbered: false);
        doc.TableOfContents(maxLevel: 1);
    }

    static void GradeTable(ReportDocument doc, IReadOnlyList<GradeRow> grades, double earned, double possible)
    {
        doc.PageBreak();
        doc.Heading("Grade sheet", numbered: false);
        doc.Paragraph("Every requirement of every task, judged on the recorded run of this profile and seed. " +
                      "A requirement earns its points only when it passes; tasks without a record are not run.");
        doc.Table(t =>
        {
            t.Column("Task").Column("Requirement").Column("Verdict").Column("Measured (required)", TextAlign.Right).Column("Points", TextAlign.Right);
            foreach (var g in grades)
                t.Row(g.TaskId, g.Requirement.Text, VerdictCell(g.Verdict), MeasuredCell(g.Verdict), PointsCell(g));
            t.Row(new TableCell("Total", Bold: true), new TableCell($"{grades.Count(g => g.Verdict.Passed)} of {grades.Count} requirements pass", Bold: true),
                new TableCell(""), new TableCell(""), new TableCell($"{Num(earned)} / {Num(possible)}", Bold: true));
        }, "Grade sheet.");
        var problems = grades.Where(g => g.Verdict.Outcome is Outcome.Error or Outcome.NotRun or Outcome.Fail && g.Verdict.Detail.Length > 0)
            .Select(g => g.Verdict.Outcome == Outcome.NotRun
                ? $"{g.TaskId}: {GradeSheet.Label(g.Verdict.Outcome)} — {g.Verdict.Detail}"
                : $"{g.TaskId} {g.Requirement.Id}: {GradeSheet.Label(g.Verdict.Outcome)} — {g.Verdict.Detail}")
            .Distinct().ToList();
        if (problems.Count > 0)
        {
            doc.Paragraph("Notes:", new TextStyle(doc.Settings.FontSize, Bold: true), TextAlign.Left);
            doc.Bullets(problems, align: TextAlign.Left); // ragged: record paths would open wide gaps in justified lines
        }
    }

    /// <summary>An extra section: the paragraphs of its file (Markdown heading lines skipped), or where to write them.</summary>
    static void Extra(ReportDocument doc, ExtraSection section, ReportContext ctx)
    {
        doc.Heading(section.Heading);
        var path = Path.GetFullPath(Path.Combine(ctx.SettingsFolder ?? Directory.GetCurrentDirectory(), section.FileName));
        var paragraphs = File.Exists(path)
            ? System.Text.RegularExpressions.Regex.Split(File.ReadAllText(path).Replace("\r\n", "\n"), @"\n\s*\n")
                .Select(p => string.Join(" ", p.Split('\n').Where(l => !l.TrimStart().StartsWith('#')).Select(l => l.Trim())).Trim())
                .Where(p => p.Length > 0).ToList()
            : [];
        if (paragraphs.Count > 0) foreach (var p in paragraphs) doc.Paragraph(p);
        else doc.Paragraph($"Not written yet: {section.Asks} Write it to {path} (paragraphs separated by blank lines) and build the report again.",
            new TextStyle(doc.Settings.FontSize, Italic: true), TextAlign.Left);
    }

    static void Appendix(ReportDocument doc, IAssignment a, IReadOnlyList<TaskDefinition> tasks, ReportContext ctx)
    {
        doc.PageBreak();
        doc.Heading("Appendix: reproducing every number", numbered: false);
        doc.Paragraph($"Each task's record, and therefore every number, table and figure in this report, is produced by the command below " +
                      $"(profile {ctx.Profile}, seed {ctx.Seed}); running it again with the same build and device gives the same values." +
                      (ctx.ReproduceCommand == "harness" ? " In a source checkout, `harness` is `dotnet run --project src/Cli --`." : ""));
        var mono = new TextStyle(doc.Settings.FontSize * 0.85f, Mono: true);
        foreach (var t in tasks)
        {
            doc.Paragraph($"{t.Id}: {t.Title}", new TextStyle(doc.Settings.FontSize, Bold: true), TextAlign.Left);
            doc.Add(new ParagraphBlock(ctx.RunCommand(a.Id, t.Id), mono, TextAlign.Left) { Indent = doc.Settings.FontSize * 1.4f, SpaceAfter = doc.Settings.FontSize * 0.6f });
        }
        doc.Paragraph("Then rebuild this report with:", align: TextAlign.Left);
        doc.Add(new ParagraphBlock(ctx.ReportCommand(a.Id, tasks.Count < a.Tasks.Count ? tasks.Select(t => t.Id) : null), mono, TextAlign.Left)
            { Indent = doc.Settings.FontSize * 1.4f });
    }

    static void AllValues(ReportDocument doc, IReadOnlyList<TaskOutcome> outcomes)
    {
        var long_ = outcomes.Where(o => o.Record is { } r && r.Values.Count > TaskSection.InlineValueLimit).ToList();
        if (long_.Count == 0) return;
        doc.PageBreak();
        doc.Heading("Appendix: all recorded values", numbered: false);
        doc.Paragraph("Every value recorded by the tasks whose sections refer here, as stored in their run records.");
        foreach (var o in long_) TaskSection.ValuesTable(doc, o.Task, o.Record!, withKeys: true);
    }

    static void LongTables(ReportDocument doc, IReadOnlyList<TaskOutcome> outcomes)
    {
        var tables = outcomes.SelectMany(o => o.Record?.Tables.Where(t => t.Rows.Count > TaskSection.InlineTableRowLimit) ?? []).ToList();
        if (tables.Count == 0) return;
        doc.PageBreak();
        doc.Heading("Appendix: long tables", numbered: false);
        foreach (var t in tables) TaskSection.Table(doc, t);
    }

    internal static TableCell VerdictCell(Verdict v) => new(GradeSheet.Label(v.Outcome), Bold: true, Color: v.Outcome switch
    {
        Outcome.Pass => new SKColor(0x1B, 0x7F, 0x3A),
        Outcome.Fail => new SKColor(0xC0, 0x1C, 0x1C),
        Outcome.Error => new SKColor(0xC0, 0x6A, 0x00),
        _ => new SKColor(0x77, 0x77, 0x77),
    });

    /// <summary>The measured value with, below it, what was required (once, where they read the same: "holds").</summary>
    internal static TableCell MeasuredCell(Verdict v) =>
        new(v.Expected == v.Measured || v.Expected is "—" or "" ? v.Measured : $"{v.Measured}\n({v.Expected})");

    internal static TableCell PointsCell(GradeRow g) => new($"{Num(g.Earned)} / {Num(g.Possible)}");

    internal static string Num(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);
}
