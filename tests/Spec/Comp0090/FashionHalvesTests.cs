using FluentAssertions;
using Harness.Core.Data;
using Harness.Tasks.Comp0090;
using NUnit.Framework;
using static TorchSharp.torch;

namespace Harness.Spec.Comp0090;

/// <summary>The rules of the FM-1/FM-2 split on a small synthetic Fashion-MNIST with planted exact copies.</summary>
[Property("Assignment", "comp0090"), Property("Task", "3.1")]
public sealed class FashionHalvesTests
{
    private const int PerClassTrain = 20, PerClassTest = 4;

    /// <summary>10 classes × 20 training and × 4 test images of 2×2 distinct pixels; then copies planted.</summary>
    private static TrainTest Synthetic(Action<float[,]> plant)
    {
        int nTrain = 10 * PerClassTrain, n = nTrain + 10 * PerClassTest;
        var pixels = new float[n, 4];
        for (int i = 0; i < n; i++) for (int p = 0; p < 4; p++) pixels[i, p] = ((i >> (2 * p)) & 3) / 255f + (i >> 8) / 255f * (p == 0 ? 1 : 0);
        plant(pixels);
        ImageDataSet Part(int from, int count, string name)
        {
            var x = new float[count * 4];
            for (int i = 0; i < count; i++) for (int p = 0; p < 4; p++) x[i * 4 + p] = pixels[from + i, p];
            var y = Enumerable.Range(0, count).Select(i => (long)(i % 10)).ToArray();
            return new ImageDataSet(name, tensor(x).reshape(count, 1, 2, 2), tensor(y), Enumerable.Range(0, 10).Select(c => $"class {c}").ToArray());
        }
        return new TrainTest(Part(0, nTrain, "train"), Part(nTrain, n - nTrain, "test"));
    }

    private static void Copy(float[,] px, int from, int to) { for (int p = 0; p < 4; p++) px[to, p] = px[from, p]; }

    [Test]
    public void Without_copies_every_image_is_in_exactly_one_part_and_the_halves_are_equal()
    {
        var p = FashionHalves.Split(Synthetic(_ => { }), seed: 7);
        p.DuplicateGroups.Should().Be(0);
        p.SetAside.Should().BeEmpty();
        p.Fm1.All.Concat(p.Fm2.All).Order().Should().Equal(Enumerable.Range(0, p.TotalImages).Select(i => (long)i));
        p.Fm1.Train.Length.Should().Be(p.Fm2.Train.Length);
        p.Fm1.Validation.Length.Should().Be(5 * 2, "10% of each class's 20 training images");
        p.Fm1.Test.Length.Should().Be(5 * PerClassTest);
    }

    [Test]
    public void A_training_image_copied_in_the_test_file_is_set_aside_and_the_test_copy_kept()
    {
        int nTrain = 10 * PerClassTrain;
        var p = FashionHalves.Split(Synthetic(px => { Copy(px, from: nTrain + 3, to: 13); Copy(px, from: 40, to: 50); }), seed: 7);
        p.DuplicateGroups.Should().Be(2);
        p.SetAside.Should().Equal(13, 50);      // the train copy of test image 3; the later train copy of image 40
        p.Fm1.All.Concat(p.Fm2.All).Should().Contain(nTrain + 3).And.Contain(40).And.NotContain(13).And.NotContain(50);
        foreach (var h in new[] { p.Fm1, p.Fm2 })
        {
            var keys = h.All.Select(i => p.Pixels[i]).ToList();
            keys.Should().OnlyHaveUniqueItems();
        }
    }

    [Test]
    public void The_halves_hold_disjoint_labels_relabelled_from_zero()
    {
        FashionHalves.Fm1Labels.Intersect(FashionHalves.Fm2Labels).Should().BeEmpty();
        FashionHalves.Fm1Labels.Union(FashionHalves.Fm2Labels).Order().Should().Equal(Enumerable.Range(0, 10));
        var data = Synthetic(_ => { });
        var p = FashionHalves.Split(data, seed: 7);
        var fm2 = FashionHalves.Images(data, p.Fm2.Train, 2, "FM-2 train");
        fm2.LabelArray().Distinct().Order().Should().Equal(0L, 1L, 2L, 3L, 4L);
        fm2.ClassNames.Should().Equal("class 5", "class 6", "class 7", "class 8", "class 9");
    }
}
