using Harness.Tasks.Cm500335.Models;

namespace Harness.Tasks.Cm500335;

/// <summary>Task 6.1: two single-task CNNs on Fashion-MNIST, one for the item (10 classes), one for its group (3 classes).</summary>
public sealed class T6_1SingleTask : TaskDefinition<T6_1SingleTask.Settings_>
{
    public sealed record Settings_(FashionSettings Training, string[] GroupNames, int[][] Groups);

    public override string Assignment => Cm500335Assignment.AssignmentId;
    public override string Id => "6.1";
    public override string Title => "Single-task CNNs for item and group (Fashion-MNIST)";
    public override string SeedText => "On Fashion-MNIST, train one CNN to predict the item (10 classes) and one to predict its group (shoes {5, 7, 9}, gendered {3, 6, 8}, unisex {0, 1, 2, 4}): convolutions of 32, 64 and 128 filters (3×3, stride 1, same padding) with 2×2 max-pooling after the first two, flatten, dense layers [3136, 1024, 100, N]; Adam, batch size 10, learning rate 0.001, 5 epochs.";

    public static FashionSettings TrainingFor(Profile profile) => profile == Profile.Full
        ? new FashionSettings(null, null, 5, 10, 0.001, FashionCnn.BriefDense)
        // Smoke: dense layers narrowed to [392, 128, 100] (the brief's 19.7M-weight first dense layer costs minutes per
        // epoch on CI's two cores); the architecture requirement still builds and checks the brief's network.
        : new FashionSettings(1000, 500, 1, 20, 0.001, new[] { 392, 128, 100 });
    public override Settings_ Settings(Profile profile) => new Settings_(TrainingFor(profile), FashionGroups.Names, FashionGroups.Members);
    public override Settings_ Settings(HarnessOptions options) => new Settings_(TrainingFor(options), FashionGroups.Names, FashionGroups.Members);

    /// <summary>The profile's settings with the training images capped at <see cref="HarnessOptions.TrainImagesLimit"/> (the full
    /// profile's 60,000 images at batch 10 through a 19.7M-weight dense layer are GPU work).</summary>
    public static FashionSettings TrainingFor(HarnessOptions options)
    {
        var t = TrainingFor(options.Profile);
        return options.TrainImagesLimit > 0 && (t.Train ?? FashionGroups.TrainImages) > options.TrainImagesLimit ? t with { Train = options.TrainImagesLimit } : t;
    }

    /// <summary>Says in the report when <see cref="HarnessOptions.TrainImagesLimit"/> shrank the run below its profile.</summary>
    internal static void ObserveLimit(RunContext ctx, int trainImages)
    {
        if (ctx.Options.TrainImagesLimit > 0 && TrainingFor(ctx.Options).Train != TrainingFor(ctx.Profile).Train)
            ctx.Observe(string.Create(CultureInfo.InvariantCulture,
                $"Trained on {trainImages:N0} stratified training images (TrainImagesLimit {ctx.Options.TrainImagesLimit:N0}) instead of the profile's {TrainingFor(ctx.Profile).Train ?? FashionGroups.TrainImages:N0}, to fit a CPU machine; the brief's network, batch size, learning rate and epochs are unchanged and the thresholds are the {ctx.Options.ProfileName} profile's."));
    }

    protected override double? Work(Settings_ s) => 2 * s.Training.Work;

    protected override IEnumerable<Requirement> DeclareRequirements()
    {
        var smoke = TrainingFor(Profile.Smoke);
        var groups = string.Join(", ", FashionGroups.Names.Select((n, g) => $"{n} {{{string.Join(", ", FashionGroups.Members[g])}}}"));
        var scale = $"{Show.Count(smoke.Train!.Value)} images, {Show.Word(smoke.Epochs)} epoch, batch {smoke.BatchSize}, dense [{string.Join(", ", smoke.Dense)}]";
        return
        [
            Requirement.Holds("cm500335.6.1.groups", $"The group mapping is exactly the brief's: {groups}.", 1, "group_mapping_ok"),
            Requirement.Holds("cm500335.6.1.architecture", $"Both networks have the brief's layers: conv 32/64/128 (3×3, same), pooling after conv1 and conv2, dense {string.Join(", ", FashionCnn.BriefDense.Select(d => Show.Count(d)))} and N.", 1, "architecture_ok"),
            Requirement.AtLeast("cm500335.6.1.item", "Item test accuracy", 2, "item_final_test_accuracy", new Threshold(0.91, 0.40, scale) { FullOrigin = Cm500335Assignment.Specification }, ValueFormat.Percent),
            Requirement.AtLeast("cm500335.6.1.group", "Group test accuracy", 2, "group_final_test_accuracy", new Threshold(0.99, 0.50, scale) { FullOrigin = Cm500335Assignment.Specification }, ValueFormat.Percent),
        ];
    }

    protected override void Run(RunContext ctx, Settings_ s)
    {
        var (items, groups) = FashionGroups.Load(ctx, s.Training);
        ctx.Value("train_images", items.Train.Count);
        ctx.Value("test_images", items.Test.Count);
        ObserveLimit(ctx, items.Train.Count);
        ctx.Check("group_mapping_ok", FashionGroups.MappingIsTheBriefs(),
            $"item → group: {string.Join(", ", FashionGroups.OfItem.Select((g, c) => $"{c}→{FashionGroups.Names[g]}"))}");
        var counts = groups.Train.ClassCounts();
        ctx.Table("groups", "The brief's groups of Fashion-MNIST items and their number of training images.", new[] { "group", "items", "training images" },
            Enumerable.Range(0, 3).Select(g => (IReadOnlyList<string>)new[] { FashionGroups.Names[g],
                string.Join(", ", FashionGroups.Members[g].Select(c => $"{c} {items.Train.ClassNames[c]}")), counts[g].ToString("N0", CultureInfo.InvariantCulture) }));

        bool archOk = true;
        string archProblem = "";
        foreach (var classes in new[] { 10, 3 })
        {
            using var brief = new FashionCnn(classes);   // the brief's network, checked at every profile
            var shapes = ModelSummary.Architecture(brief, new long[] { 1, 28, 28 }).ToDictionary(r => r.Layer, r => r.OutputShape);
            bool ok = shapes["pool1"] == "32×14×14" && shapes["pool2"] == "64×7×7" && shapes["conv3"] == "128×7×7" && shapes["flatten"] == "6272"
                && shapes["fc1"] == FashionCnn.BriefDense[0].ToString(CultureInfo.InvariantCulture) && shapes["fc2"] == FashionCnn.BriefDense[1].ToString(CultureInfo.InvariantCulture)
                && shapes["fc3"] == FashionCnn.BriefDense[2].ToString(CultureInfo.InvariantCulture) && shapes["output"] == classes.ToString(CultureInfo.InvariantCulture);
            if (!ok && archProblem.Length == 0) archProblem = $"{classes} classes: {string.Join(", ", shapes.Select(kv => $"{kv.Key} {kv.Value}"))}";
            archOk &= ok;
            ctx.Value($"brief_params_{classes}_classes", ModelSummary.TotalParameters(brief));
        }
        var accuracies = new Dictionary<string, double>();
        foreach (var (name, data, classes, seedOffset) in new[] { ("item", items, 10, 0), ("group", groups, 3, 1) })
        {
            manual_seed(ctx.Seed + seedOffset);
            using var model = new FashionCnn(classes, s.Training.Dense);
            model.to(ctx.Device);
            TrainingRecorder.RecordArchitecture(ctx, model, new long[] { 1, 28, 28 }, name + "_", $"{name} CNN");
            var result = ctx.Timed(name + "_training", () => ctx.Train($"6.1 {name}", model, s.Training.Recipe,
                new ClassifierObjective(model, data.Train, null, data.Test, ctx.Device)));
            TrainingRecorder.Record(ctx, result, name + "_", $"Single-task {name} CNN");
            accuracies[name] = result.Last.TestAccuracy;
            var predicted = Evaluation.Predict(model, data.Test, ctx.Device);   // the final weights (the recipe keeps the last epoch)
            var confusion = Classification.ConfusionMatrix(predicted, data.Test.LabelArray(), classes);
            var labels = data.Test.ClassNames.ToArray();
            ctx.Figure(name + "_confusion", $"Single-task {name} CNN: confusion matrix on the test images (rows: true, columns: predicted).",
                new HeatmapSpec($"{name} confusion matrix", Classification.ToRows(confusion), labels, labels, "predicted", "true"));
        }
        ctx.Check("architecture_ok", archOk, archOk
            ? $"both networks built at the brief's size and traced: pool1 32×14×14, pool2 64×7×7, conv3 128×7×7, flatten 6,272, dense {string.Join(", ", FashionCnn.BriefDense)} and N"
            : $"the traced shapes differ from the brief's: {archProblem}");
        ctx.Observe(string.Create(CultureInfo.InvariantCulture,
            $"The item CNN reaches {accuracies["item"]:P2} and the group CNN {accuracies["group"]:P2} test accuracy: the three groups are {(accuracies["group"] > accuracies["item"] ? "easier" : "not easier")} to tell apart than the ten items."));
    }
}
