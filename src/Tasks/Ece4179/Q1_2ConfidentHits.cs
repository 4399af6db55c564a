using Harness.Core.Experiments;
namespace Harness.Tasks.Ece4179;

/// <summary>Q1.2: per class, the five validation images classified correctly with the highest softmax score.</summary>
public sealed class Q1_2ConfidentHits : Ece4179Task<Q1_2ConfidentHits.Settings_>
{
    public sealed record Settings_(string Data, int PerClass);

    public override string Id => "1.2";
    public override string Title => "Confident correct predictions";
    public override string SeedText => "For each class, show the five images of the validation set that your network classifies correctly with the highest confidence (softmax score), with their scores.";
    public override IReadOnlyList<string> DependsOn => ["1.1"];
    public override Settings_ Settings(Profile profile, string data) => new(data, ConfidentExamples.PerClass);
    /// <summary>Only 1.1's recorded predictions are read.</summary>
    protected override double? Work(Settings_ s) => WorkVolume.Constant;

    protected override IEnumerable<Requirement> DeclareRequirements() => ConfidentExamples.Requirements(Id, correct: true);
    protected override void Run(RunContext ctx, Settings_ s) => ConfidentExamples.Run(ctx, correct: true);
}
