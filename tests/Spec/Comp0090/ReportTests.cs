using FluentAssertions;
using Harness.Core.Reporting;
using Harness.Spec.Reporting;
using Harness.Tasks.Comp0090;
using NUnit.Framework;

namespace Harness.Spec.Comp0090;

/// <summary>The grade sheet's points and the contributions paragraph, which the report reads from a file beside the configuration.</summary>
[Property("Assignment", "comp0090")]
public sealed class ReportTests
{
    private static readonly ReportContext Ctx = new("smoke", 42, "cpu", "0123456789abcdef", "0.107.0", "2.10.0",
        new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero), "harness");

    [Test]
    public void The_grade_sheet_holds_100_points_20_per_task()
    {
        var a = new Comp0090Assignment();
        a.Tasks.Select(t => t.Id).Should().Equal("3.1", "3.2", "3.3", "3.4", "3.5");
        foreach (var t in a.Tasks) t.Requirements.Sum(r => r.Points).Should().Be(20, t.Id);
        a.Tasks.SelectMany(t => t.Requirements).Select(r => r.Id).Should().OnlyHaveUniqueItems();
    }

    [Test]
    public void The_contributions_paragraph_comes_from_its_file_or_the_report_says_where_to_write_it()
    {
        PdfTools.Require();
        var dir = PdfTools.TempDir("comp0090-contributions");
        var a = new Comp0090Assignment();
        var section = a.ExtraSections.Single();
        var missing = AssignmentReport.Write(a, _ => null, Ctx with { SettingsFolder = dir }, Path.Combine(dir, "missing.pdf"));
        var text = Flat(PdfTools.Text(missing.PdfPath));
        text.Should().Contain(section.Heading).And.Contain("Not written yet").And.Contain(Path.Combine(dir, section.FileName));
        missing.PointsPossible.Should().Be(100);

        File.WriteAllText(Path.Combine(dir, section.FileName), "# Contributions\n\nAda wrote the data split and 3.1.\nGrace wrote\n3.4 and 3.5.\n\nBoth wrote the report.\n");
        var written = AssignmentReport.Write(a, _ => null, Ctx with { SettingsFolder = dir }, Path.Combine(dir, "written.pdf"));
        var body = Flat(PdfTools.Text(written.PdfPath));
        body.Should().Contain("Ada wrote the data split and 3.1. Grace wrote 3.4 and 3.5.").And.Contain("Both wrote the report.").And.NotContain("Not written yet");
    }

    private static string Flat(string text) => string.Join(" ", text.Split((char[])['\n', ' '], StringSplitOptions.RemoveEmptyEntries));
}
