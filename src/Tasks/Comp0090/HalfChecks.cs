namespace Harness.Tasks.Comp0090;

/// <summary>The checks of the FM-1/FM-2 split (recorded by 3.1), each naming what broke it, and the table of the halves.</summary>
public static class HalfChecks
{
    public static void Record(RunContext ctx, TrainTest data, FashionPartition p)
    {
        var labels = data.Train.LabelArray().Concat(data.Test.LabelArray()).ToArray();
        var names = data.Train.ClassNames;
        var halves = new[] { (Number: 1, Ids: p.Fm1), (Number: 2, Ids: p.Fm2) };
        var found = halves.Select(h => h.Ids.All.Select(i => labels[i]).Distinct().Order().ToArray()).ToArray();

        ctx.Check("labels_disjoint_cover", new Findings()
            .Expect(!found[0].Intersect(found[1]).Any(), () => $"labels in both halves: {string.Join(", ", found[0].Intersect(found[1]))}")
            .Expect(found[0].Union(found[1]).Count() == names.Count, () => $"labels in neither half: {string.Join(", ", Enumerable.Range(0, names.Count).Select(l => (long)l).Except(found[0].Union(found[1])))}"),
            $"FM-1 holds labels {string.Join(", ", found[0])}, FM-2 labels {string.Join(", ", found[1])}: disjoint, all {names.Count} covered");

        var parts = new (string Name, Func<HalfIds, long[]> Of)[] { ("train", h => h.Train), ("validation", h => h.Validation), ("test", h => h.Test) };
        var equal = new Findings();
        foreach (var (name, of) in parts)
            equal.Expect(of(p.Fm1).Length == of(p.Fm2).Length, () => $"{name}: FM-1 {Show.Count(of(p.Fm1).Length)}, FM-2 {Show.Count(of(p.Fm2).Length)} images");
        ctx.Check("halves_equal", equal, "both halves: " + string.Join(", ", parts.Select(x => $"{Show.Count(x.Of(p.Fm1).Length)} {x.Name}")) + " images");

        var places = new int[p.TotalImages];
        foreach (var id in halves.SelectMany(h => h.Ids.All).Concat(p.SetAside)) places[id]++;
        var wrong = Enumerable.Range(0, places.Length).Where(i => places[i] != 1).ToList();
        ctx.Check("one_place_each", wrong.Count == 0, wrong.Count == 0
            ? $"each of the {Show.Count(p.TotalImages)} images is in exactly one place ({Show.Count(p.SetAside.Length)} set aside as copies)"
            : $"{Show.Count(wrong.Count)} images are not in exactly one place, first id {wrong[0]} in {places[wrong[0]]}");

        var shared = new Findings();
        foreach (var (number, ids) in halves)
            for (int a = 0; a < parts.Length; a++)
                for (int b = a + 1; b < parts.Length; b++)
                {
                    var common = parts[a].Of(ids).Select(i => p.Pixels[i]).Intersect(parts[b].Of(ids).Select(i => p.Pixels[i])).Count();
                    shared.Expect(common == 0, () => $"FM-{number}: {common} byte-identical images in both {parts[a].Name} and {parts[b].Name}");
                }
        var acrossHalves = p.Fm1.All.Select(i => p.Pixels[i]).Intersect(p.Fm2.All.Select(i => p.Pixels[i])).Count();
        ctx.Value("exact_duplicate_groups", p.DuplicateGroups);
        ctx.Value("set_aside_images", p.SetAside.Length);
        ctx.Value("images_in_both_halves", acrossHalves);
        ctx.Check("no_shared_pixels", shared,
            $"no byte-identical image in two parts of a half (nor in both halves: {acrossHalves}); Fashion-MNIST's {Show.Count(p.TotalImages)} images hold {p.DuplicateGroups} groups of exact copies, {p.SetAside.Length} set aside");

        var stratified = new Findings();
        foreach (var (number, ids) in halves)
            foreach (var label in FashionHalves.Labels(number))
            {
                int val = ids.Validation.Count(i => labels[i] == label), all = val + ids.Train.Count(i => labels[i] == label);
                int expected = (int)Math.Round(all * FashionHalves.ValidationFraction);
                stratified.Expect(val == expected, () => $"FM-{number} {names[label]}: {val} of {all} in validation, {expected} expected");
            }
        ctx.Check("validation_stratified", stratified, $"each class gives {Show.PercentBound(FashionHalves.ValidationFraction)} of its training-file images to validation");

        ctx.Table("halves", "Fashion-MNIST-1 and -2: original labels (relabelled 0–4 in this order) and images per part.",
            ["half", "original labels", "train", "validation", "test"],
            halves.Select(h => (IReadOnlyList<string>)[$"FM-{h.Number}", string.Join(", ", FashionHalves.Labels(h.Number).Select(l => $"{l} {names[l]}")),
                Show.Count(h.Ids.Train.Length), Show.Count(h.Ids.Validation.Length), Show.Count(h.Ids.Test.Length)]));
        ctx.Observe($"Exact duplicates: the {Show.Count(p.TotalImages)} images of Fashion-MNIST were compared by the SHA-256 of their pixels; they hold {Show.Word(p.DuplicateGroups)} groups of byte-identical copies, "
            + (p.DuplicateGroups == 0 ? "so no image had to be set aside." : $"and {Show.Count(p.SetAside.Length)} copies were set aside (one image of each group kept, its test-file copy when it has one)."));
    }
}
