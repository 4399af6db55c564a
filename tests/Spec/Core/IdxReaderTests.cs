using System.Security.Cryptography;
using FluentAssertions;
using Harness.Core.Data;
using NUnit.Framework;

namespace Harness.Spec.Core;

[Property("Area", "Data")]
public sealed class IdxReaderTests
{
    private string _dir = "";

    [SetUp] public void MakeDir() => Directory.CreateDirectory(_dir = Path.Combine(Path.GetTempPath(), "idx-" + Guid.NewGuid().ToString("N")[..8]));
    [TearDown] public void RemoveDir() => Directory.Delete(_dir, true);

    private static readonly byte[] Pixels = Enumerable.Range(0, 3 * 4 * 5).Select(i => (byte)i).ToArray();

    private string Write(string name, byte[] bytes) { var p = Path.Combine(_dir, name); File.WriteAllBytes(p, bytes); return p; }
    private static string Md5(byte[] raw) => Convert.ToHexString(MD5.HashData(raw)).ToLowerInvariant();

    [TestCase(true)]
    [TestCase(false)]
    public void Reads_gzip_and_raw_files_with_their_shape_and_checksum(bool gzip)
    {
        var raw = IdxReader.Encode(new[] { 3, 4, 5 }, Pixels, gzip: false);
        var path = Write("x.idx", IdxReader.Encode(new[] { 3, 4, 5 }, Pixels, gzip));
        var a = IdxReader.Read(path, new[] { 3, 4, 5 }, Md5(raw));
        a.Shape.Should().Equal(3, 4, 5);
        a.Data.Should().Equal(Pixels);
    }

    [Test]
    public void Wrong_magic_number_is_named()
    {
        var bytes = IdxReader.Encode(new[] { 3, 4, 5 }, Pixels, gzip: false);
        bytes[0] = 0x1f; bytes[1] = 0x00;
        var act = () => IdxReader.Read(Write("bad.idx", bytes));
        act.Should().Throw<DataFileException>().WithMessage("*bad.idx*wrong magic number*");
    }

    [Test]
    public void Wrong_element_type_is_rejected()
    {
        var bytes = IdxReader.Encode(new[] { 3, 4, 5 }, Pixels, gzip: false);
        bytes[2] = 0x0D; // float
        var act = () => IdxReader.Read(Write("float.idx", bytes));
        act.Should().Throw<DataFileException>().WithMessage("*unsigned byte*");
    }

    [Test]
    public void Truncated_data_says_how_many_bytes_are_missing()
    {
        var bytes = IdxReader.Encode(new[] { 3, 4, 5 }, Pixels, gzip: false);
        var act = () => IdxReader.Read(Write("short.idx", bytes[..^7]));
        act.Should().Throw<DataFileException>().WithMessage("*short.idx*truncated*60*53*download*again*");
    }

    [Test]
    public void Truncated_gzip_stream_is_reported_as_corrupt()
    {
        var gz = IdxReader.Encode(new[] { 3, 4, 5 }, Pixels, gzip: true);
        var act = () => IdxReader.Read(Write("cut.gz", gz[..(gz.Length / 2)]));
        act.Should().Throw<DataFileException>().WithMessage("*cut.gz*");
    }

    [Test]
    public void Wrong_count_against_the_expected_shape_is_rejected()
    {
        var path = Write("count.idx", IdxReader.Encode(new[] { 3, 4, 5 }, Pixels, gzip: false));
        var act = () => IdxReader.Read(path, new[] { 60000, 28, 28 });
        act.Should().Throw<DataFileException>().WithMessage("*3x4x5*60000x28x28*");
    }

    [Test]
    public void Extra_bytes_after_the_data_are_rejected()
    {
        var bytes = IdxReader.Encode(new[] { 3, 4, 5 }, Pixels, gzip: false).Concat(new byte[] { 1, 2 }).ToArray();
        var act = () => IdxReader.Read(Write("long.idx", bytes));
        act.Should().Throw<DataFileException>().WithMessage("*2 bytes follow*");
    }

    [Test]
    public void Bad_checksum_names_both_sums()
    {
        var path = Write("sum.idx", IdxReader.Encode(new[] { 3, 4, 5 }, Pixels, gzip: true));
        var act = () => IdxReader.Read(path, null, "00000000000000000000000000000000");
        act.Should().Throw<DataFileException>().WithMessage("*sum.idx*checksum mismatch*00000000000000000000000000000000*");
    }

    [Test]
    public void Missing_file_says_where_to_put_it()
    {
        var act = () => IdxReader.Read(Path.Combine(_dir, "nope.gz"));
        act.Should().Throw<DataFileException>().WithMessage("*nope.gz*not found*DataRoots*");
    }
}
