using System.Text.RegularExpressions;
using FluentAssertions;
using Harness.Core.Configuration;
using NUnit.Framework;

namespace Harness.Spec.Core;

/// <summary>
/// The structure the assignments are written on, kept by a test: every training goes through the one trainer (no epoch
/// loop and no Trainer built under src/Tasks), settings are typed (no casts into a task's settings, no object), and the
/// requirement fixtures come from the catalogue (no test class per task).
/// </summary>
[Property("Area", "Structure")]
public sealed class CodebaseRulesTests
{
    private static string Root => Path.GetDirectoryName(OptionsLoader.FindSettingsFile() ?? throw new InconclusiveException("no source tree beside the tests"))!;

    private static IEnumerable<(string File, int Line, string Text)> Matches(string folder, Regex pattern) =>
        Directory.EnumerateFiles(Path.Combine(Root, folder), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}")
                        && Path.GetFileName(f) != nameof(CodebaseRulesTests) + ".cs")
            .SelectMany(f => File.ReadLines(f).Select((text, i) => (File: Path.GetRelativePath(Root, f), Line: i + 1, Text: text)))
            .Where(l => pattern.IsMatch(l.Text));

    [Test]
    public void No_task_has_its_own_training_loop()
    {
        Matches("src/Tasks", new Regex(@"for\s*\(\s*int\s+epoch|epoch\s*\+\+|new\s+Trainer\s*\(|\.zero_grad\(\)|\.step\(\)")).Should().BeEmpty();
    }

    [Test]
    public void Settings_are_typed()
    {
        Matches("src", new Regex(@"\(\w*Settings_?\)\s*\w|override\s+object\s+Settings")).Should().BeEmpty();
    }

    [Test]
    public void Requirement_fixtures_come_from_the_catalogue()
    {
        Matches("tests", new Regex(@"TaskRequirementsFixture|:\s*TaskRequirements<")).Should().BeEmpty();
        Matches("tests/Shared", new Regex(@"TestFixtureSource\(typeof\(TaskCatalogue\)")).Should().HaveCount(1);
    }
}
