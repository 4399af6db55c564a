using System.Globalization;
using Harness.Core.Records;
using Harness.Core.Reporting.Document;
using Harness.Core.Reporting.Figures;
using Harness.Core.Requirements;
using SkiaSharp;

namespace Harness.Core.Reporting;

/// <summary>Writes one task's section: seed text, settings, tables, figures, key values, observations, requirements.</summary>
static class TaskSection
{
    public static void Write(ReportDocument doc, string assignmentId, TaskOutcome outcome, IReadOnlyList<GradeRow> grades,
        ReportContext ctx, string fontFamily)
    {
        var task = outcome.Task;
        doc.Heading($"{task.Id}: {task.Title}");
        doc.Quote(task.SeedText, keepWithNext: true);
        if (outcome.Record is not { } record)
        {
            doc.Paragraph(outcome.Problem is null ? "Not run: there is no recorded result for this task at this profile and seed."
                : $"Not run ({outcome.Problem}).");
            doc.Paragraph("Produce it with:", align: TextAlign.Left);
            doc.Add(new ParagraphBlock(ctx.RunCommand(assignmentId, task.Id), new TextStyle(doc.Settings.FontSize * 0.9f, Mono: true), TextAlign.Left)
                { Indent = doc.Settings.FontSize * 1.4f, SpaceAfter = doc.Settings.FontSize });
            Requirements(doc, task.Id, grades);
            return;
        }
        if (record.DataNote is { } note) DataNote(doc, note);

        if (record.Settings.Count > 0)
            doc.Table(t =>
            {
                t.Column("Setting").Column("Value");
                foreach (var (k, v) in record.Settings) t.Row(k, SettingText.Tidy(v));
            }, $"Settings of {task.Id}.");

        foreach (var table in record.Tables)
        {
            if (table.Rows.Count <= InlineTableRowLimit) Table(doc, table);
            else doc.Paragraph($"{table.Caption.TrimEnd('.')} ({table.Rows.Count} rows) is in the appendix \"Long tables\".",
                new TextStyle(doc.Settings.FontSize * 0.9f, Italic: true), TextAlign.Left);
        }

        foreach (var figure in record.Figures)
        {
            var spec = LoadFigure(outcome.Folder, figure, out var problem);
            if (spec is null) doc.Paragraph($"[Figure '{figure.Id}' unavailable: {problem}]", new TextStyle(doc.Settings.FontSize, Italic: true));
            else
            {
                doc.Figure(spec, figure.Caption, fontFamily);
                if (ctx.ExportFigures) FigureExport.EnsurePngAndSvg(spec, Path.Combine(outcome.Folder!, "figures", figure.Id), Path.Combine(outcome.Folder!, figure.SpecFile), fontFamily);
            }
        }

        if (record.Values.Count is > 0 and <= InlineValueLimit) ValuesTable(doc, task, record, withKeys: false);
        else if (record.Values.Count > InlineValueLimit)
            doc.Paragraph($"The {record.Values.Count} values recorded by {task.Id} are listed in the appendix \"All recorded values\".",
                new TextStyle(doc.Settings.FontSize * 0.9f, Italic: true), TextAlign.Left);

        if (record.Observations.Count > 0)
        {
            doc.Heading("Observations", level: 2);
            doc.Bullets(record.Observations);
        }
        Requirements(doc, task.Id, grades);
        doc.Paragraph($"Run {record.Key.FolderName} on {record.Environment.Device}, {record.Timing.WallSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s wall time" +
            (record.Timing.Resumed ? " after resuming an interrupted run from its checkpoints (earlier epochs ran before that)." : "."),
            new TextStyle(doc.Settings.FontSize * 0.85f, Color: new SKColor(0x66, 0x66, 0x66)), TextAlign.Left);
    }

    /// <summary>The run's data note ("Data: synthetic stand-in, not STL-10 …"), set apart in bold red.</summary>
    public static void DataNote(ReportDocument doc, string note) =>
        doc.Paragraph($"Data: {note}", new TextStyle(doc.Settings.FontSize, Bold: true, Color: new SKColor(0xB0, 0x1C, 0x1C)), TextAlign.Left);

    /// <summary>More recorded values than this go to the appendix, so that a task's pages stay about its results.</summary>
    public const int InlineValueLimit = 16;

    /// <summary>Tables longer than this (e.g. 100 epochs of 3(c)) go to the appendix for the same reason.</summary>
    public const int InlineTableRowLimit = 40;

    public static void Table(ReportDocument doc, TableData table) =>
        doc.Table(table.Columns.Select(c => new TableColumn(c, LooksNumeric(table, c) ? TextAlign.Right : TextAlign.Left)).ToList(),
            table.Rows.Select(r => (IReadOnlyList<TableCell>)r.Select(c => new TableCell(c)).ToList()).ToList(), table.Caption);

    /// <summary>The recorded values in words and in the text's units; <paramref name="withKeys"/> adds each record key (the appendix).</summary>
    public static void ValuesTable(ReportDocument doc, Experiments.TaskDefinition task, RunRecord record, bool withKeys) =>
        doc.Table(t =>
        {
            t.Column("Measured value");
            if (withKeys) t.Column("Record key");
            t.Column("Value", TextAlign.Right);
            foreach (var (k, v) in record.Values)
            {
                var value = ValueDisplay.Value(k, v, record, task.Requirements);
                if (withKeys) t.Row(ValueDisplay.Name(k), $"`{k}`", value);
                else t.Row(ValueDisplay.Name(k), value);
            }
        }, $"Measured values of {task.Id}.");

    static void Requirements(ReportDocument doc, string taskId, IReadOnlyList<GradeRow> grades)
    {
        var rows = grades.Where(g => g.TaskId == taskId).ToList();
        if (rows.Count == 0) return;
        doc.Table(t =>
        {
            t.Column("Requirement").Column("Verdict").Column("Measured (required)", TextAlign.Right).Column("Points", TextAlign.Right);
            foreach (var g in rows)
                t.Row(g.Verdict.Outcome == Outcome.Fail && g.Verdict.Detail.Length > 0 ? $"{g.Requirement.Text}\nFound: {g.Verdict.Detail}" : g.Requirement.Text,
                    AssignmentReport.VerdictCell(g.Verdict), AssignmentReport.MeasuredCell(g.Verdict), AssignmentReport.PointsCell(g));
        }, $"Requirements of {taskId}: {AssignmentReport.Num(rows.Sum(r => r.Earned))} of {AssignmentReport.Num(rows.Sum(r => r.Possible))} points.");
    }

    static FigureSpec? LoadFigure(string? folder, FigureRef figure, out string problem)
    {
        problem = "";
        if (folder is null) { problem = "no run folder"; return null; }
        var path = Path.Combine(folder, figure.SpecFile);
        try { return RecordJson.Deserialize<FigureSpec>(File.ReadAllText(path)); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Text.Json.JsonException or NotSupportedException)
        {
            problem = $"{path}: {e.Message}";
            return null;
        }
    }

    static bool LooksNumeric(TableData table, string column)
    {
        var i = table.Columns.ToList().IndexOf(column);
        var cells = table.Rows.Where(r => i < r.Count).Select(r => r[i].Replace(",", "").Replace("%", "").Trim()).Where(c => c.Length > 0 && c is not ("–" or "—" or "-")).ToList();
        return cells.Count > 0 && cells.All(c => double.TryParse(c, NumberStyles.Float, CultureInfo.InvariantCulture, out _));
    }
}
