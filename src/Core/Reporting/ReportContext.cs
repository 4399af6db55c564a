using Harness.Core.Requirements;

namespace Harness.Core.Reporting;

/// <summary>Where and how the numbers of a report were produced; printed on its title page and in its appendix.</summary>
/// <param name="Profile">profile name as typed on the command line ("smoke", "full")</param>
/// <param name="ReproduceCommand">prefix of the commands that reproduce a task, e.g. "harness" or "dotnet run --project src/Cli --"</param>
/// <param name="ResultsFileName">name of the Gradescope results file written beside the PDF</param>
/// <param name="ExtraFlags">flags beyond profile and seed that the records depend on (e.g. "--train-images-limit 1500"), or ""</param>
/// <param name="SettingsFolder">the folder of the configuration, where the files of an assignment's extra sections are read (default: the working folder)</param>
public sealed record ReportContext(
    string Profile,
    int Seed,
    string Device,
    string? GitCommit,
    string TorchSharpVersion,
    string LibTorchVersion,
    DateTimeOffset Date,
    string ReproduceCommand = "harness",
    string? Author = null,
    string ResultsFileName = "results.json",
    string ExtraFlags = "",
    string? SettingsFolder = null)
{
    /// <summary>Write each figure's PNG and SVG beside its record (once; the word-count pass does not).</summary>
    public bool ExportFigures { get; init; } = true;

    /// <summary>The tasks to report (a partial report), or null for all of the assignment's.</summary>
    public IReadOnlyList<string>? Tasks { get; init; }

    /// <summary>Where the report's typefaces come from (installed, then shipped fonts).</summary>
    public Document.FontLibrary Fonts { get; init; } = Document.FontLibrary.Default;

    public string RunCommand(string assignment, string task) =>
        $"{ReproduceCommand} run --assignment {assignment} --task {task} --profile {Profile} --seed {Seed}{Flags}";

    public string ReportCommand(string assignment, IEnumerable<string>? tasks = null) =>
        $"{ReproduceCommand} report --assignment {assignment}{(tasks is null ? "" : " --task " + string.Join(",", tasks))} --profile {Profile} --seed {Seed}{Flags}";

    private string Flags => ExtraFlags.Length > 0 ? " " + ExtraFlags : "";
}

/// <summary>One line of the grade sheet: a requirement, its verdict (from <see cref="Requirement.Judge"/>) and the points earned.</summary>
public sealed record GradeRow(string TaskId, string TaskTitle, Requirement Requirement, Verdict Verdict)
{
    public double Earned => Verdict.Passed ? Requirement.Points : 0;
    public double Possible => Requirement.Points;
}

/// <summary>What <see cref="AssignmentReport.Write"/> produced.</summary>
/// <param name="WordCount">words of the main part (see <see cref="AssignmentReport"/> for the rule)</param>
/// <param name="WordLimit">the assignment's limit, when it has one</param>
public sealed record ReportResult(
    string PdfPath,
    string JUnitPath,
    string ResultsJsonPath,
    int Pages,
    long Bytes,
    int WordCount,
    int? WordLimit,
    double PointsEarned,
    double PointsPossible,
    IReadOnlyList<GradeRow> Grades,
    string FontFamily,
    TimeSpan Elapsed)
{
    public bool WithinWordLimit => WordLimit is not { } limit || WordCount <= limit;
}

/// <summary>What <see cref="AssignmentReport.WriteLatex"/> produced: the .tex file, with its figures (vector PDF) and latexmkrc beside it.</summary>
public sealed record LatexResult(
    string TexPath,
    int Figures,
    int Tables,
    int WordCount,
    int? WordLimit,
    double PointsEarned,
    double PointsPossible,
    IReadOnlyList<GradeRow> Grades,
    TimeSpan Elapsed,
    IReadOnlyCollection<char> Unmapped);
