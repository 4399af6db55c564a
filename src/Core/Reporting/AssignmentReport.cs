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
    public static ReportResult Write(IAssignment assignment, Func<TaskDefinition, (RunRecord Record, string Folder)?> lookup,
        ReportContext ctx, string pdfPath)
    {
        var sw = Stopwatch.StartNew();
        var outcomes = assignment.Tasks.Select(t => GradeSheet.Find(t, lookup)).ToList();
        IReadOnlyList<GradeRow> grades = GradeSheet.Judge(outcomes);
        var style = assignment.Style;

        using var probe = FontSet.Resolve(style.FontFamily);
        var family = probe.Family;
        var settings = new DocumentSettings
        {
            FontFamily = style.FontFamily,
            FontSize = style.FontSize,
            Title = $"{assignment.Title} — report",
            Author = ctx.Author ?? "Harness",
            Subject = $"{assignment.Course}: {assignment.Title} ({ctx.Profile} profile, seed {ctx.Seed})",
            Keywords = $"{assignment.Id}, {ctx.Profile}, seed {ctx.Seed}",
            Created = ctx.Date.UtcDateTime,
            HeaderLeft = $"{assignment.Course} — {assignment.Title}",
            HeaderRight = $"{ctx.Profile} · seed {ctx.Seed}",
        };
        // The word limit is a requirement of the report itself: the main part is laid out once on its own to count it,
        // so that the grade sheet in front of it can show the verdict.
        int? mainWords = null;
        if (style.WordLimit is { } limit)
        {
            var count = new ReportDocument(settings).CountWords(true);
            foreach (var o in outcomes) TaskSection.Write(count, assignment.Id, o, grades, ctx with { ExportFigures = false }, family);
            mainWords = count.WordCount;
            grades = grades.Append(WordLimitRow(limit, mainWords.Value, style, family)).ToList();
        }
        var earned = grades.Sum(g => g.Earned);
        var possible = grades.Sum(g => g.Possible);
        var doc = new ReportDocument(settings);

        var dataNotes = outcomes.Where(o => o.Record?.DataNote is not null).GroupBy(o => o.Record!.DataNote!)
            .Select(g => $"{g.Key} (tasks {string.Join(", ", g.Select(o => o.Task.Id))}).").ToList();
        TitlePage(doc, assignment, ctx, family, earned, possible, () => doc.WordCount, dataNotes);
        GradeTable(doc, grades, earned, possible);

        doc.PageBreak().CountWords(true);
        foreach (var o in outcomes)
            TaskSection.Write(doc, assignment.Id, o, grades, ctx, family);
        doc.CountWords(false);

        Appendix(doc, assignment, ctx);
        AllValues(doc, outcomes);
        LongTables(doc, outcomes);

        if (mainWords is { } counted && counted != doc.WordCount)
            throw new InvalidOperationException($"word count changed between passes ({counted} vs {doc.WordCount})");
        var stats = doc.Save(pdfPath);
        var junit = Path.ChangeExtension(pdfPath, null) + ".junit.xml";
        RecordJson.WriteAtomic(junit, ResultFiles.JUnit(assignment, grades));
        var results = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(pdfPath))!, ctx.ResultsFileName);
        RecordJson.WriteAtomic(results, ResultFiles.Gradescope(grades));
        return new ReportResult(pdfPath, junit, results, stats.Pages, stats.Bytes, stats.WordCount, style.WordLimit,
            earned, possible, grades, stats.FontFamily, sw.Elapsed);
    }

    /// <summary>Task id of grade-sheet rows that judge the report rather than a task's record.</summary>
    public const string ReportTaskId = "report";

    static GradeRow WordLimitRow(int limit, int words, ReportStyle style, string family)
    {
        var text = $"The main part of the report has at most {limit:N0} words ({style.FontFamily} {style.FontSize:0.#} pt" +
                   (family == style.FontFamily ? ")" : $", set in the metric-compatible {family})");
        var verdict = Verdict.Of(words <= limit, words.ToString("N0", CultureInfo.InvariantCulture), "≤ " + limit.ToString("N0", CultureInfo.InvariantCulture),
            "words of the task sections' headings, text and observations (seed quotations, tables, captions, grade sheet and appendix excluded)");
        var requirement = new Requirement("word-limit", text, 1, _ => verdict);
        return new GradeRow(ReportTaskId, "Report", requirement, verdict);
    }

    static void TitlePage(ReportDocument doc, IAssignment a, ReportContext ctx, string family, double earned, double possible, Func<int> words,
        IReadOnlyList<string> dataNotes)
    {
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
            t.Row("Font", family == a.Style.FontFamily ? $"{family} {Num(a.Style.FontSize)} pt" : $"{family} {Num(a.Style.FontSize)} pt (for {a.Style.FontFamily})");
            t.Row("Score", $"{Num(earned)} of {Num(possible)} points");
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
            t.Column("Task").Column("Requirement").Column("Verdict").Column("Measured", TextAlign.Right)
             .Column("Expected", TextAlign.Right).Column("Points", TextAlign.Right);
            foreach (var g in grades)
                t.Row(g.TaskId, g.Requirement.Text, VerdictCell(g.Verdict), g.Verdict.Measured, g.Verdict.Expected, $"{Num(g.Earned)} / {Num(g.Possible)}");
            t.Row(new TableCell("Total", Bold: true), new TableCell(""), new TableCell(
                    $"{grades.Count(g => g.Verdict.Passed)} of {grades.Count} pass", Bold: true),
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
            doc.Bullets(problems);
        }
    }

    static void Appendix(ReportDocument doc, IAssignment a, ReportContext ctx)
    {
        doc.PageBreak();
        doc.Heading("Appendix: reproducing every number", numbered: false);
        doc.Paragraph($"Each task's record, and therefore every number, table and figure in this report, is produced by the command below " +
                      $"(profile {ctx.Profile}, seed {ctx.Seed}); running it again with the same build and device gives the same values." +
                      (ctx.ReproduceCommand == "harness" ? " In a source checkout, harness is dotnet run --project src/Cli --." : ""));
        var mono = new TextStyle(doc.Settings.FontSize * 0.85f, Mono: true);
        foreach (var t in a.Tasks)
        {
            doc.Paragraph($"{t.Id}: {t.Title}", new TextStyle(doc.Settings.FontSize, Bold: true), TextAlign.Left);
            doc.Add(new ParagraphBlock(ctx.RunCommand(a.Id, t.Id), mono, TextAlign.Left) { Indent = doc.Settings.FontSize * 1.4f, SpaceAfter = doc.Settings.FontSize * 0.6f });
        }
        doc.Paragraph("Then rebuild this report with:", align: TextAlign.Left);
        doc.Add(new ParagraphBlock(ctx.ReportCommand(a.Id), mono, TextAlign.Left)
            { Indent = doc.Settings.FontSize * 1.4f });
    }

    static void AllValues(ReportDocument doc, IReadOnlyList<TaskOutcome> outcomes)
    {
        var long_ = outcomes.Where(o => o.Record is { } r && r.Values.Count > TaskSection.InlineValueLimit).ToList();
        if (long_.Count == 0) return;
        doc.PageBreak();
        doc.Heading("Appendix: all recorded values", numbered: false);
        doc.Paragraph("Every value recorded by the tasks whose sections refer here, as stored in their run records.");
        foreach (var o in long_) TaskSection.ValuesTable(doc, o.Task.Id, o.Record!);
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

    internal static string Num(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);
}
