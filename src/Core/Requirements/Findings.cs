namespace Harness.Core.Requirements;

/// <summary>
/// The parts of one check computed during a run, each with what to say when it fails ("batch 17 holds image 4,001
/// twice"). A check holds when every part does; its recorded finding names the first failures, or what was verified.
/// </summary>
public sealed class Findings
{
    private readonly List<string> _failures = new();

    public bool Holds => _failures.Count == 0;
    public IReadOnlyList<string> Failures => _failures;

    /// <summary>Adds a part; <paramref name="failure"/> is only built when the part fails.</summary>
    public Findings Expect(bool ok, Func<string> failure)
    {
        if (!ok) _failures.Add(failure());
        return this;
    }

    public Findings Expect(bool ok, string failure) => Expect(ok, () => failure);

    /// <summary>What the check found: <paramref name="verified"/> when it holds, else the first few failures.</summary>
    public string Finding(string verified) => Holds ? verified
        : string.Join("; ", _failures.Take(3)) + (_failures.Count > 3 ? $"; and {_failures.Count - 3} more" : "");
}
