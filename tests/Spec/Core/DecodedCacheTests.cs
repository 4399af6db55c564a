using FluentAssertions;
using Harness.Core.Data;
using Harness.Core.Metrics;
using Harness.Core.Training;
using NUnit.Framework;
using static TorchSharp.torch;

namespace Harness.Spec.Core;

/// <summary>Data files are decoded and verified once; later reads come from the cache only while the source file is unchanged.</summary>
[Property("Area", "Data")]
public sealed class DecodedCacheTests
{
    string dir = "";

    [SetUp]
    public void TempDir() => dir = Directory.CreateTempSubdirectory("harness-cache-").FullName;

    [TearDown]
    public void Clean() { if (Directory.Exists(dir)) Directory.Delete(dir, true); }

    /// <summary>A 5×2×3 IDX file and its canonical description.</summary>
    private (string Source, DataFile File, IdxArray Array) Sample()
    {
        var data = Enumerable.Range(0, 30).Select(i => (byte)(i * 7)).ToArray();
        var source = Path.Combine(dir, "sample-idx3-ubyte.gz");
        File.WriteAllBytes(source, IdxReader.Encode(new[] { 5, 2, 3 }, data, gzip: true));
        var md5 = Convert.ToHexString(System.Security.Cryptography.MD5.HashData(IdxReader.Decompress(source))).ToLowerInvariant();
        var file = new DataFile("sample-idx3-ubyte", md5, new[] { 5, 2, 3 });
        return (source, file, IdxReader.Read(source, file.Shape, file.Md5));
    }

    [Test]
    public void A_verified_file_is_read_back_from_the_cache_byte_for_byte()
    {
        var (source, file, array) = Sample();
        var cache = new DecodedCache(Path.Combine(dir, "cache"), LineProgress.Silent);
        cache.TryRead(source, file).Should().BeNull("nothing is cached yet");
        cache.Write(source, file, array);
        using var t = cache.TryRead(source, file);
        t.Should().NotBeNull();
        t!.dtype.Should().Be(ScalarType.Byte);
        t.data<byte>().ToArray().Should().Equal(array.Data);
    }

    [Test]
    public void A_changed_source_or_a_damaged_entry_is_not_served()
    {
        var (source, file, array) = Sample();
        var cache = new DecodedCache(Path.Combine(dir, "cache"), LineProgress.Silent);
        cache.Write(source, file, array);
        File.SetLastWriteTimeUtc(source, File.GetLastWriteTimeUtc(source).AddMinutes(1));
        cache.TryRead(source, file).Should().BeNull("the source changed since it was verified");

        cache.Write(source, file, array);
        var bytes = Directory.GetFiles(Path.Combine(dir, "cache"), "*.bytes").Single();
        File.WriteAllBytes(bytes, new byte[7]);
        cache.TryRead(source, file).Should().BeNull("a truncated entry is read and verified afresh");

        cache.Write(source, file, array);
        cache.TryRead(source, file with { Md5 = new string('0', 32) }).Should().BeNull("another canonical file is another entry");
    }

    [Test]
    public void A_corrupt_copy_in_the_first_data_root_is_skipped_for_a_good_one_with_a_warning_naming_it()
    {
        var good = new DataSets(Harness.TestSupport.HarnessTestRun.Options, LineProgress.Silent).Locate(DataSetCatalog.Mnist);
        if (good is null) Assert.Ignore("MNIST is not in the data roots");
        var bad = Path.Combine(dir, "bad", "mnist");
        Directory.CreateDirectory(bad);
        foreach (var f in DataSetCatalog.Mnist.Files)
        {
            var source = DataSets.FindFile(good, f)!;
            var target = Path.Combine(bad, Path.GetFileName(source));
            if (f == DataSetCatalog.Mnist.TestLabels) File.WriteAllBytes(target, File.ReadAllBytes(source)[..200]);   // truncated
            else File.CreateSymbolicLink(target, source);
        }
        var messages = new List<string>();
        var options = new Harness.Core.Configuration.HarnessOptions
        {
            DataRoots = new[] { Path.Combine(dir, "bad"), Path.GetDirectoryName(good)! }, AllowDownload = false, CacheDir = Path.Combine(dir, "cache"),
        };
        var data = new DataSets(options, new Recorder(messages)).Mnist();
        data.Test.Count.Should().Be(DataSetCatalog.Mnist.TestImages.Shape[0]);
        messages.Should().Contain(m => m.StartsWith("warning: MNIST in " + bad, StringComparison.Ordinal) && m.Contains("trying the next data root"));
    }

    private sealed class Recorder(List<string> messages) : IProgressSink
    {
        public IProgressTask Start(string description, int total) => LineProgress.Silent.Start(description, total);
        public void Message(string text) => messages.Add(text);
    }

    [Test]
    public void A_set_kept_as_bytes_gives_the_same_floats_as_converting_everything()
    {
        using var bytes = randint(0, 256, new long[] { 20, 1, 4, 4 }).to_type(ScalarType.Byte);
        using var labels = randint(0, 3, new long[] { 20 });
        var lazy = ImageDataSet.FromBytes("lazy", bytes, labels, new[] { "a", "b", "c" });
        using var eager = bytes.to_type(ScalarType.Float32).div(255f);
        using var idx = tensor(new long[] { 3, 0, 19, 7 });
        TensorDiff.Same(lazy.Gather(idx), eager.index_select(0, idx)).Should().BeTrue();
        TensorDiff.Same(lazy.Subset(new long[] { 3, 0, 19, 7 }).Images, eager.index_select(0, idx)).Should().BeTrue();
        TensorDiff.Same(lazy.Images, eager).Should().BeTrue();
        lazy.ImageShape.Should().Equal(1L, 4L, 4L);
    }
}
