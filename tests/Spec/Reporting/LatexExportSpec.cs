using System.Diagnostics;
using System.Text.RegularExpressions;
using FluentAssertions;
using Harness.Core.Experiments;
using Harness.Core.Records;
using Harness.Core.Reporting;
using Harness.Core.Requirements;
using NUnit.Framework;

namespace Harness.Spec.Reporting;

/// <summary>
/// The LaTeX export: the same document as the PDF, compiled with <c>latexmk -pdf</c>; its text holds the same numbers as the
/// native PDF's (grade sheet, tables, captions and the figures' own labels).
/// </summary>
[TestFixture, Property("Area", "Reporting")]
public class LatexExportSpec
{
    static readonly ReportContext Ctx = new("smoke", 42, "cpu", "0123456789abcdef", "0.107.0", "2.10.0",
        new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero), "harness");

    [Test]
    public void The_latex_export_compiles_and_its_numbers_are_the_pdfs()
    {
        PdfTools.Require();
        if (!OnPath("latexmk") || !OnPath("pdflatex"))
            Assert.Ignore("latexmk/pdflatex are not installed: apt-get install -y texlive-latex-recommended texlive-fonts-recommended latexmk");
        var dir = PdfTools.TempDir("latex");
        var runFolder = Path.Combine(dir, "runs", "t1");
        var figures = SampleData.WriteFigures(runFolder);
        var t1 = new FakeTask("ex99", "T1", "Train a small network", new[]
        {
            Requirement.AtLeast("acc", "Test accuracy", 3, "test_accuracy", new Threshold(0.9, 0.8), ValueFormat.Percent),
            Requirement.AtMost("loss", "Final loss", 2, "final_loss", new Threshold(0.1, 0.2), ValueFormat.Decimal(4)),
            Requirement.Exactly("params", "The number of parameters", 1, "parameters", 54410),
        });
        var t2 = new FakeTask("ex99", "T2", "A task that was not run", new[] { Requirement.Holds("ran", "It ran", 2, "ran") });
        var assignment = new FakeAssignment(new TaskDefinition[] { t1, t2 });
        var record = SampleData.Record("ex99", "T1", new Dictionary<string, double>
            { ["test_accuracy"] = 0.8512, ["final_loss"] = 0.35, ["parameters"] = 54410 }, figures);
        (RunRecord, string)? Lookup(TaskDefinition t) => t.Id == "T1" ? (record, runFolder) : null;

        var pdf = AssignmentReport.Write(assignment, Lookup, Ctx, Path.Combine(dir, "native", "ex99.pdf"));
        var tex = AssignmentReport.WriteLatex(assignment, Lookup, Ctx, Path.Combine(dir, "ex99", "report.tex"));

        tex.Figures.Should().Be(SampleData.AllFigureKinds().Count);
        tex.Unmapped.Should().BeEmpty("every character of the report has a LaTeX spelling");
        var texDir = Path.GetDirectoryName(tex.TexPath)!;
        File.Exists(Path.Combine(texDir, "latexmkrc")).Should().BeTrue();
        Directory.GetFiles(Path.Combine(texDir, "figures"), "*.pdf").Should().HaveCount(tex.Figures);
        var source = File.ReadAllText(tex.TexPath);
        source.Should().Contain(@"\usepackage{booktabs}").And.Contain(@"\toprule").And.Contain(@"\includegraphics");

        var (code, log) = Run(texDir, "latexmk", "-pdf", "-interaction=nonstopmode", "-halt-on-error", "report.tex");
        code.Should().Be(0, log.Length > 4000 ? log[^4000..] : log);
        var built = Path.Combine(texDir, "report.pdf");
        File.Exists(built).Should().BeTrue();

        var native = Numbers(PdfTools.Text(pdf.PdfPath));
        var latex = Numbers(PdfTools.Text(built));
        native.Should().Contain(["85.12%", "0.3500", "54,410", "5/9"]);
        latex.Should().BeEquivalentTo(native, "the LaTeX report states the same numbers as the native PDF");
        var flat = string.Join(" ", PdfTools.Text(built).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        flat.Should().Contain("Grade sheet").And.Contain("Train the network of T1").And.Contain("not run")
            .And.Contain("harness run --assignment ex99 --task T2 --profile smoke --seed 42");
        for (var i = 1; i <= tex.Figures; i++) flat.Should().Contain($"Figure {i}:");
        PdfTools.Fonts(built).Should().OnlyContain(f => f.Emb == "yes");
        // With texlive-fonts-recommended the text is set in Helvetica's metrics (URW Nimbus Sans, Type 1), not bitmap fonts.
        if (Run(texDir, "kpsewhich", "t1phv.fd").Output.Trim().Length > 0)
            PdfTools.Fonts(built).Select(f => f.Name).Should().Contain(n => n.Contains("NimbusSan"));
    }

    /// <summary>The distinct numbers with a decimal point, percent sign, thousands separator or slash (page numbers and years left out).</summary>
    static HashSet<string> Numbers(string text) =>
        Regex.Matches(string.Join(" ", text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)), @"\d+ ?/ ?\d+|\d[\d,]*\.\d+%?|\d+%|\d{1,3}(?:,\d{3})+").Select(m => m.Value.Replace(" ", "")).ToHashSet();

    static bool OnPath(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(d => File.Exists(Path.Combine(d, tool)));

    static (int Code, string Output) Run(string dir, string tool, params string[] args)
    {
        var psi = new ProcessStartInfo(tool) { WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromMinutes(5))) { p.Kill(true); return (-1, "latexmk ran over 5 minutes"); }
        return (p.ExitCode, stdout.Result + stderr.Result);
    }
}
