using FluentAssertions;
using Harness.Tasks.Ece4179;
using NUnit.Framework;
using TorchSharp;
using static TorchSharp.torch;

namespace Harness.Spec.Ece4179;

/// <summary>The occlusion of Q3: where the patch goes, what it covers, and that batches give what single copies give.</summary>
[Property("Assignment", "ece4179"), Property("Task", "3"), Property("Area", "Analysis")]
public sealed class OcclusionTests
{
    [Test]
    public void The_grid_slides_the_patch_by_its_stride_within_the_image()
    {
        var grid = Occlusion.Grid(96, 24, 8);
        grid.Should().HaveCount(100);
        grid.First().Should().Be((0, 0));
        grid.Last().Should().Be((72, 72));
        grid[1].Should().Be((0, 8));
        Occlusion.Grid(96, 24, 12).Should().HaveCount(49);
    }

    [Test]
    public void An_occluded_copy_is_the_image_with_exactly_the_patch_set_to_the_fill()
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        var image = rand(3, 96, 96);
        var copies = Occlusion.Occluded(image, [(0, 0), (10, 40), (72, 72)], 24, 0.5f);
        copies.shape.Should().Equal(3, 3, 96, 96);
        var patch = copies[1].narrow(1, 10, 24).narrow(2, 40, 24);
        patch.eq(0.5f).all().item<bool>().Should().BeTrue();
        var mask = ones(3, 96, 96, dtype: ScalarType.Bool);
        mask.narrow(1, 10, 24).narrow(2, 40, 24).fill_(false);
        Harness.Core.Metrics.TensorDiff.Same(copies[1].masked_select(mask), image.masked_select(mask)).Should().BeTrue("nothing outside the patch changes");
    }

    [Test]
    public void Scores_computed_in_batches_equal_scores_of_single_copies()
    {
        using var scope = NewDisposeScope();
        manual_seed(5);
        var model = nn.Sequential(nn.Conv2d(3, 4, 5, stride: 4), nn.ReLU(), nn.Flatten(), nn.Linear(4 * 23 * 23, 10));
        model.eval();
        var image = rand(3, 96, 96);
        var grid = Occlusion.Grid(96, 24, 12);
        var batched = Occlusion.Scores(model, image, 3, grid, 24, 0.5f, 16);
        var single = grid.Select(p => Occlusion.Scores(model, image, 3, [p], 24, 0.5f, 1)[0]).ToArray();
        batched.Zip(single, (a, b) => Math.Abs(a - b)).Max().Should().BeLessThan(1e-5f);
        batched.Should().OnlyContain(v => v >= 0 && v <= 1);
    }
}
