using FluentAssertions;
using Harness.Core.Records;
using Harness.Core.Reporting;
using Harness.Core.Requirements;
using Harness.Spec.Reporting;
using NUnit.Framework;

namespace Harness.Spec.Ece4179;

/// <summary>A record's data note ("synthetic stand-in, not STL-10") is printed on the report's title page and in its task's section.</summary>
[Property("Assignment", "ece4179"), Property("Area", "Reporting")]
public sealed class StandInReportTests
{
    [Test]
    public void The_title_page_and_every_section_made_from_the_stand_in_say_so()
    {
        PdfTools.Require();
        var dir = PdfTools.TempDir("standin-report");
        var tasks = new[] { "T1", "T2" }.Select(id => new FakeTask("ex99", id, $"Task {id}", [Requirement.Holds($"{id}.ok", "It ran.", 1, "ok")])).ToArray();
        const string note = "synthetic stand-in, not STL-10. Made from generated images.";
        var records = tasks.ToDictionary(t => t.Id, t => SampleData.Record("ex99", t.Id, new Dictionary<string, double> { ["ok"] = 1 }) with { DataNote = note });
        var ctx = new ReportContext("smoke", 42, "cpu", null, "0.107.0", "2.10.0", DateTimeOffset.UnixEpoch);
        var pdf = Path.Combine(dir, "standin.pdf");
        var result = AssignmentReport.Write(new FakeAssignment(tasks, new Harness.Core.Experiments.ReportStyle()), t => (records[t.Id], dir), ctx, pdf);

        string Flat(string text) => string.Join(' ', text.Split((char[])[' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries));
        Flat(PdfTools.Text(pdf, 1)).Should().Contain("Data: synthetic stand-in, not STL-10. Made from generated images. (tasks T1, T2).");
        var sections = Enumerable.Range(3, result.Pages - 2).Select(p => Flat(PdfTools.Text(pdf, p))).ToList();
        foreach (var id in new[] { "T1", "T2" })
            sections.Should().Contain(page => page.Contains($"{id}: Task {id}") && page.Contains("Data: synthetic stand-in, not STL-10"), id);
    }
}
