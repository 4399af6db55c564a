using System.Text;
using FluentAssertions;
using Harness.Core.Data;
using NUnit.Framework;

namespace Harness.Spec.Core;

[Property("Area", "Data")]
public sealed class NpyFileTests
{
    private string _dir = "";

    [SetUp] public void MakeDir() => Directory.CreateDirectory(_dir = Path.Combine(Path.GetTempPath(), "npy-" + Guid.NewGuid().ToString("N")[..8]));
    [TearDown] public void RemoveDir() => Directory.Delete(_dir, true);

    private string PathOf(string name) => Path.Combine(_dir, name);

    [Test]
    public void Writes_the_bytes_numpy_writes()
    {
        // np.save("x.npy", np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])) starts with a 128-byte header (the 59-character dictionary, padded with spaces and a newline to a multiple of 64).
        var p = PathOf("x.npy");
        NpyFile.Write(p, new[] { 1.0, 2, 3, 4, 5, 6 }, 2, 3);
        var bytes = File.ReadAllBytes(p);
        var expectedHeader = "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }";
        bytes.Take(8).Should().Equal(new byte[] { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0 });
        int headerLength = bytes[8] | bytes[9] << 8;
        (10 + headerLength).Should().Be(128);
        Encoding.ASCII.GetString(bytes, 10, headerLength).Should().Be(expectedHeader.PadRight(headerLength - 1) + "\n");
        bytes.Length.Should().Be(128 + 6 * 8);
        BitConverter.ToDouble(bytes, 128 + 8).Should().Be(2.0);
    }

    [Test]
    public void Round_trips_values_and_shape()
    {
        var p = PathOf("r.npy");
        var data = Enumerable.Range(0, 300).Select(i => i * 0.1 - 7.25).ToArray();
        NpyFile.Write(p, data, 100, 3);
        var (read, shape) = NpyFile.Read(p);
        shape.Should().Equal(100, 3);
        read.Should().Equal(data);
    }

    [Test]
    public void One_dimensional_shape_has_a_trailing_comma() =>
        NpyFile.HeaderDictionary(new long[] { 5 }).Should().Contain("'shape': (5,)");

    [Test]
    public void Rejects_a_file_without_the_magic_string()
    {
        var p = PathOf("bad.npy");
        File.WriteAllBytes(p, Encoding.ASCII.GetBytes("not a numpy file at all"));
        FluentActions.Invoking(() => NpyFile.Read(p)).Should().Throw<NpyFormatException>().WithMessage("*magic*");
    }

    [TestCase("'<f4'", "*dtype*")]
    [TestCase("'>f8'", "*dtype*")]
    public void Rejects_other_dtypes(string descr, string message)
    {
        var p = PathOf("d.npy");
        File.WriteAllBytes(p, Raw("{'descr': " + descr + ", 'fortran_order': False, 'shape': (1,), }", 8));
        FluentActions.Invoking(() => NpyFile.Read(p)).Should().Throw<NpyFormatException>().WithMessage(message);
    }

    [Test]
    public void Rejects_fortran_order()
    {
        var p = PathOf("f.npy");
        File.WriteAllBytes(p, Raw("{'descr': '<f8', 'fortran_order': True, 'shape': (1, 1), }", 8));
        FluentActions.Invoking(() => NpyFile.Read(p)).Should().Throw<NpyFormatException>().WithMessage("*Fortran*");
    }

    [Test]
    public void Rejects_a_truncated_data_part()
    {
        var p = PathOf("t.npy");
        File.WriteAllBytes(p, Raw("{'descr': '<f8', 'fortran_order': False, 'shape': (4, 3), }", 8 * 11));
        FluentActions.Invoking(() => NpyFile.Read(p)).Should().Throw<NpyFormatException>().WithMessage("*96 data bytes*88*");
    }

    [Test]
    public void Rejects_other_format_versions()
    {
        var p = PathOf("v.npy");
        var raw = Raw("{'descr': '<f8', 'fortran_order': False, 'shape': (1,), }", 8);
        raw[6] = 2;
        File.WriteAllBytes(p, raw);
        FluentActions.Invoking(() => NpyFile.Read(p)).Should().Throw<NpyFormatException>().WithMessage("*version 2.0*");
    }

    /// <summary>A hand-made v1.0 file with the given header dictionary and number of zero data bytes.</summary>
    private static byte[] Raw(string dict, int dataBytes)
    {
        var header = dict + new string(' ', (64 - (10 + dict.Length + 1) % 64) % 64) + "\n";
        var bytes = new List<byte> { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0, (byte)(header.Length & 0xff), (byte)(header.Length >> 8) };
        bytes.AddRange(Encoding.ASCII.GetBytes(header));
        bytes.AddRange(new byte[dataBytes]);
        return bytes.ToArray();
    }
}
