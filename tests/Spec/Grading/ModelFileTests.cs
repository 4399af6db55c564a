using FluentAssertions;
using Harness.Core.Grading.ModelFiles;
using Harness.Tasks.Cm500335.Models;
using Harness.Tasks.Ex08.Models;
using NUnit.Framework;
using TorchSharp;
using static TorchSharp.torch;

namespace Harness.Spec.Grading;

/// <summary>
/// The only code that reads a student's bytes: model files in the three formats are recognised by content and load
/// strictly into the reference architecture; crafted ones (os.system in a pickle, a truncated archive, a 5 GB file,
/// wrong shapes) are refused with a message that names the problem, and nothing in them runs.
/// </summary>
[Property("Area", "Grading")]
public sealed class ModelFileTests
{
    private const long Limit = 256L << 20;
    private string dir = "";

    [SetUp]
    public void TempDir() => dir = Directory.CreateTempSubdirectory("harness-modelfile-").FullName;

    [TearDown]
    public void Clean() { if (Directory.Exists(dir)) Directory.Delete(dir, true); }

    [TestCase(Submissions.Format.PyTorch, ModelFile.PyTorch)]
    [TestCase(Submissions.Format.Safetensors, ModelFile.Safetensors)]
    [TestCase(Submissions.Format.TorchSharp, ModelFile.TorchSharp)]
    public void A_saved_state_dict_is_recognised_by_content_and_loads_strictly_with_the_same_weights(Submissions.Format format, string expected)
    {
        manual_seed(1);
        using var saved = new MnistExampleCnn();
        var path = Path.Combine(dir, "model.bin");   // the name says nothing: the content decides
        Submissions.Save(saved, path, format);

        var file = ModelFile.Open(path, "model.bin", Limit);
        using var reference = new MnistExampleCnn();
        file.Format.Should().Be(expected);
        StrictLoader.Differences(StrictLoader.Expected(reference), file.Entries).Should().BeEmpty();
        var tensors = file.ReadTensors();
        StrictLoader.Load(reference, tensors).Should().BeEmpty();
        foreach (var t in tensors.Values) t.Dispose();
        foreach (var (name, t) in saved.state_dict())
            reference.state_dict()[name].allclose(t, 0, 0).Should().BeTrue($"{name} is loaded as saved");
    }

    [Test]
    public void A_pickle_that_would_call_os_system_is_refused_naming_it_and_nothing_runs()
    {
        var plain = Path.Combine(dir, "evil.pt");
        File.WriteAllBytes(plain, Submissions.OsSystemPickle());
        var zipped = Path.Combine(dir, "evil-zip.pt");
        Submissions.TorchZipWithPickle(zipped, Submissions.OsSystemPickle());

        foreach (var (path, name) in new[] { (plain, "evil.pt"), (zipped, "evil-zip.pt") })
        {
            var open = () => ModelFile.Open(path, name, Limit);
            open.Should().Throw<ModelFileException>().Which.Message.Should().Contain("os.system").And.Contain(name).And.Contain("torch.save(model.state_dict()");
        }
        File.Exists(Path.Combine(dir, "PWNED")).Should().BeFalse();
        File.Exists("PWNED").Should().BeFalse();
    }

    [Test]
    public void A_file_above_the_size_limit_is_refused_before_it_is_read()
    {
        var path = Path.Combine(dir, "huge.pt");
        Submissions.Sparse(path, 5L << 30);   // 5 GiB of zeros that take no disk space
        var open = () => ModelFile.Open(path, "huge.pt", Limit);
        open.Should().Throw<ModelFileException>().Which.Message.Should().Contain("5 GiB").And.Contain("256 MiB").And.Contain("not read");
    }

    [Test]
    public void Corrupt_and_foreign_files_are_refused_with_what_they_look_like()
    {
        manual_seed(1);
        using var model = new MnistExampleCnn();
        var good = Path.Combine(dir, "good.pt");
        Submissions.Save(model, good);
        var cases = new Dictionary<string, (Action<string> Write, string Says)>
        {
            ["truncated.pt"] = (p => Submissions.Truncate(good, p), "truncated or corrupt"),
            ["page.pt"] = (p => File.WriteAllText(p, "<!DOCTYPE html><html>Sign in to Google Drive</html>"), "HTML"),
            ["notebook.pt"] = (p => File.WriteAllText(p, "{\"cells\": []}"), "not a model file"),
            ["empty.pt"] = (p => File.WriteAllBytes(p, []), "empty"),
            ["noise.pt"] = (p => File.WriteAllBytes(p, Enumerable.Range(0, 4096).Select(i => (byte)(i * 7919 % 251)).ToArray()), "not a model file"),
        };
        foreach (var (name, (write, says)) in cases)
        {
            var path = Path.Combine(dir, name);
            write(path);
            var open = () => { var f = ModelFile.Open(path, name, Limit); f.ReadTensors(); };
            open.Should().Throw<ModelFileException>(name).Which.Message.Should().Contain(name).And.Contain(says, name);
        }
    }

    [Test]
    public void Missing_extra_and_mis_shaped_tensors_are_listed_by_name_and_shape()
    {
        using var reference = new Mlp([1000, 1000]);
        using var wider = new Mlp([1000, 1200]);      // fc2 and fc3 the wrong shape
        using var deeper = new Mlp([1000, 1000, 10]);  // an extra layer fc4
        using var shallow = new Mlp([1000]);           // fc3 missing, fc2 the wrong shape
        var expected = StrictLoader.Expected(reference);

        StrictLoader.Differences(expected, StrictLoader.Expected(wider)).Should().Contain(d => d.Contains("fc2.weight is [1200, 1000] where the reference has [1000, 1000]"));
        StrictLoader.Differences(expected, StrictLoader.Expected(deeper)).Should().Contain(d => d.StartsWith("unexpected") && d.Contains("fc4.weight"));
        StrictLoader.Differences(expected, StrictLoader.Expected(shallow)).Should().Contain(d => d.StartsWith("missing") && d.Contains("fc3.weight") && d.Contains("[10, 1000]"));
    }
}
