using FluentAssertions;
using Harness.Core.Data;
using Harness.Core.Training;
using NUnit.Framework;
using static TorchSharp.torch;

namespace Harness.Spec.Ece4179;

/// <summary>The reader of STL-10's binary layout and the synthetic stand-in written in it.</summary>
[Property("Assignment", "ece4179"), Property("Area", "Data")]
public sealed class Stl10FormatTests
{
    private string _dir = "";

    [SetUp] public void MakeDir() => Directory.CreateDirectory(_dir = Path.Combine(Path.GetTempPath(), "stl10-format-" + Guid.NewGuid().ToString("N")[..8]));
    [TearDown] public void RemoveDir() => Directory.Delete(_dir, true);

    private static DataFile Images(int n, string md5 = "") => new("train_X.bin", md5, [n, 3, 96, 96]);

    [Test]
    public void Images_are_read_column_major_per_channel_and_written_back_the_same_way()
    {
        var rowMajor = new byte[2 * Stl10Catalog.ImageBytes];
        rowMajor[1 * 96 + 2] = 200;                                       // image 0, red, row 1, column 2
        rowMajor[Stl10Catalog.ImageBytes + 2 * 9216 + 95 * 96 + 3] = 77;  // image 1, blue, row 95, column 3
        var official = Stl10Format.EncodeImages(rowMajor);
        official[2 * 96 + 1].Should().Be(200, "column 2 comes before row 1 in the official layout");
        official[Stl10Catalog.ImageBytes + 2 * 9216 + 3 * 96 + 95].Should().Be(77);

        using var t = Stl10Format.Images(official, Images(2));
        t.shape.Should().Equal(2, 3, 96, 96);
        t[0, 0, 1, 2].item<byte>().Should().Be(200);
        t[1, 2, 95, 3].item<byte>().Should().Be(77);
        t.flatten().data<byte>().ToArray().Should().Equal(rowMajor);
    }

    [Test]
    public void A_file_of_the_wrong_size_or_checksum_is_refused_with_what_to_do()
    {
        var bytes = new byte[2 * Stl10Catalog.ImageBytes];
        var path = Path.Combine(_dir, "train_X.bin");
        File.WriteAllBytes(path, bytes[..^100]);
        var act = () => Stl10Format.ReadVerified(path, Images(2, Stl10Format.Md5(bytes)));
        act.Should().Throw<DataFileException>().WithMessage("*train_X.bin: truncated: train_X.bin holds 2 images of 96×96×3 = 55,296 bytes, but only 55,196 bytes are there. Download it again (harness data fetch stl10).");
        File.WriteAllBytes(path, bytes.Concat(new byte[5]).ToArray());
        act.Should().Throw<DataFileException>().WithMessage("*55,301 bytes, 5 more than train_X.bin's 2 images*");
        File.WriteAllBytes(path, bytes);
        var wrong = () => Stl10Format.ReadVerified(path, Images(2, "0123456789abcdef0123456789abcdef"));
        wrong.Should().Throw<DataFileException>().WithMessage($"*checksum mismatch: MD5 is {Stl10Format.Md5(bytes)}, the canonical file's is 0123456789abcdef0123456789abcdef*");
        Stl10Format.ReadVerified(path, Images(2, Stl10Format.Md5(bytes))).Should().Equal(bytes);
        var missing = () => Stl10Format.ReadVerified(Path.Combine(_dir, "nope.bin"), Images(2));
        missing.Should().Throw<DataFileException>().WithMessage("*nope.bin: file not found. Run harness data fetch stl10*");
    }

    [Test]
    public void Labels_count_from_one_and_a_label_out_of_range_names_its_position()
    {
        Stl10Format.Labels([1, 10, 3], "y.bin", 10).Should().Equal(0, 9, 2);
        var act = () => Stl10Format.Labels([1, 0, 3], "y.bin", 10);
        act.Should().Throw<DataFileException>().WithMessage("y.bin: label 0 at position 1 is outside 1–10 (STL-10 labels count from 1)*");
    }

    [Test]
    public void The_stand_in_is_one_fixed_data_set_in_the_official_layout_read_by_the_same_reader()
    {
        var a = Stl10StandIn.Write(Path.Combine(_dir, "a"), 3, 2);
        var b = Stl10StandIn.Write(Path.Combine(_dir, "b"), 3, 2);
        a.Should().Equal(b, "the same bytes on every run and machine");
        var layout = Stl10Catalog.Layout("t", "stand-in", 30, 20, a["train_X.bin"], a["train_y.bin"], a["test_X.bin"], a["test_y.bin"]);
        var data = Stl10Data.Read(new Stl10Source(Path.Combine(_dir, "a"), layout, StandIn: true), new RecordingProgress());
        data.Train.ClassCounts().Should().OnlyContain(c => c == 3);
        data.Test.ClassCounts().Should().OnlyContain(c => c == 2);
        data.Labelled.Count.Should().Be(50);
        data.Train.ClassNames.Should().Equal(Stl10Catalog.ClassNames);
        // Image i of a split is drawn from its own stream: the generator gives it again, byte for byte, in row-major order.
        var classes = Stl10StandIn.Labels(1, 3);
        using var first = data.Train.Gather(tensor(new long[] { 0 })).mul(255).round().to_type(ScalarType.Byte);
        first.flatten().data<byte>().ToArray().Should().Equal(Stl10StandIn.Image((int)classes[0], Stl10StandIn.Stream(1, 0)));
        Stl10StandIn.Image(0, new SeededRandom(1, 0, 0)).Should().NotEqual(Stl10StandIn.Image(0, new SeededRandom(1, 0, 1)), "images of one class differ");
    }

    [Test]
    public void The_data_found_decides_the_identity_in_the_run_key_so_a_stand_in_record_never_serves_real_data()
    {
        var real = Path.Combine(_dir, "root", Stl10Catalog.Folder);
        Directory.CreateDirectory(real);
        foreach (var f in Stl10Catalog.Stl10.Files) File.WriteAllBytes(Path.Combine(real, f.Name), []);
        var withData = new Harness.Core.Configuration.HarnessOptions { DataRoots = [Path.Combine(_dir, "root")] };
        var without = new Harness.Core.Configuration.HarnessOptions { DataRoots = [Path.Combine(_dir, "empty")] };

        Stl10Source.Find(withData).StandIn.Should().BeFalse();
        Stl10Source.Find(withData).Identity.Should().Be("STL-10 binary release; MD5 train_X.bin 918c2871b30a85fa023e0c44e0bee87f, train_y.bin 5a34089d4802c674881badbb80307741, test_X.bin 7f263ba9f9e0b06b93213547f721ac82, test_y.bin 36f9794fa4beb8a2c72628de14fa638e");
        Stl10Source.Find(without).StandIn.Should().BeTrue();
        Stl10Source.Find(without).Identity.Should().StartWith("synthetic stand-in, not STL-10 (generator v");

        foreach (var task in Harness.Tasks.Assignments.Get("ece4179").Tasks)
        {
            var a = new Harness.Core.Experiments.ExperimentRunner(withData, LineProgress.Silent, Harness.Tasks.Assignments.GetTask).KeyOf(task);
            var b = new Harness.Core.Experiments.ExperimentRunner(without, LineProgress.Silent, Harness.Tasks.Assignments.GetTask).KeyOf(task);
            a.ConfigHash.Should().NotBe(b.ConfigHash, task.ToString());
            task.SettingsJson(without).GetProperty("data").GetString().Should().Be(Stl10Source.Find(without).Identity);
        }
    }

    [Test]
    public void Data_verify_lists_stl10s_labelled_files()
    {
        var (_, output) = CliProcess.Run(new Dictionary<string, string> { ["HARNESS__DataRoots__0"] = _dir }, "data", "verify");
        foreach (var f in Stl10Catalog.Stl10.Files) output.Should().MatchRegex($@"STL-10\s+{f.Name.Replace(".", @"\.")}\s+-: not found in .*harness data fetch stl10");
    }
}
