using Microsoft.VisualStudio.TestPlatform.ObjectModel;
using Microsoft.VisualStudio.TestPlatform.ObjectModel.Client;
using Microsoft.VisualStudio.TestPlatform.ObjectModel.Logging;

namespace Harness.FilterGuard;

/// <summary>
/// When a run executes no test (a filter such as Task=9.9 that matches nothing), says which assignments and tasks
/// exist, read from the catalogue file the test assembly writes while NUnit explores its fixtures. Loggers cannot set
/// the exit code; harness.runsettings' TreatNoTestsAsError makes such a run fail.
/// </summary>
[FriendlyName(FriendlyName)]
[ExtensionUri("logger://harness/filter-guard")]
public sealed class FilterGuardLogger : ITestLoggerWithParameters
{
    public const string FriendlyName = "harness-filter-guard";
    /// <summary>Written beside the test assembly by tests/Shared/TaskCatalogue.cs: one "assignment&lt;TAB&gt;id id …" line each.</summary>
    public const string CatalogueFile = "harness-tasks.txt";

    private int _results;
    private string? _filter;
    private readonly List<string> _sources = new();

    public void Initialize(TestLoggerEvents events, string testRunDirectory) => Subscribe(events);
    public void Initialize(TestLoggerEvents events, Dictionary<string, string?> parameters) => Subscribe(events);

    private void Subscribe(TestLoggerEvents events)
    {
        events.TestRunStart += (_, e) =>
        {
            _filter = e.TestRunCriteria?.TestCaseFilter;
            if (e.TestRunCriteria?.Sources is { } sources) _sources.AddRange(sources);
        };
        events.TestResult += (_, _) => Interlocked.Increment(ref _results);
        events.TestRunComplete += (_, e) =>
        {
            if (_results > 0 || e.IsAborted || e.IsCanceled) return;
            Console.Error.WriteLine(Explain(_filter, _sources.Select(Path.GetDirectoryName).Append(Path.GetDirectoryName(typeof(FilterGuardLogger).Assembly.Location))));
        };
    }

    /// <summary>The message for a run that selected nothing: the filter, the known tasks, and how to select them.</summary>
    public static string Explain(string? filter, IEnumerable<string?> folders)
    {
        var file = folders.Where(f => f is not null).Select(f => Path.Combine(f!, CatalogueFile)).FirstOrDefault(File.Exists);
        var known = file is null ? Array.Empty<string>() : File.ReadAllLines(file).Where(l => l.Contains('\t')).ToArray();
        var lines = new List<string>
        {
            $"error: no test ran{(string.IsNullOrEmpty(filter) ? "" : $": the filter \"{filter}\" selects no test")}. A run that tests nothing fails.",
        };
        if (known.Length > 0)
        {
            lines.Add("Known assignments and their tasks (filter by Assignment=<id> and/or Task=<id>):");
            lines.AddRange(known.Select(l => l.Split('\t')).Select(p => $"  {p[0],-10} {p[1]}"));
        }
        lines.Add("Example: dotnet test tests/Spec --filter \"Assignment=ex08&Task=1.2\"   (harness list shows every task and requirement)");
        return string.Join(Environment.NewLine, lines);
    }
}
