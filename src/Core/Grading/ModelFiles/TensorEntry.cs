
namespace Harness.Core.Grading.ModelFiles;

/// <summary>One tensor of a model file as its header or pickle describes it, before any of its data is read.</summary>
/// <param name="DType">the element type in PyTorch's words: float32, float64, int64, …</param>
public sealed record TensorEntry(string Name, string DType, long[] Shape)
{
    public long Elements => Shape.Aggregate(1L, (a, d) => checked(a * d));
    public string ShapeText => "[" + string.Join(", ", Shape) + "]";
    public override string ToString() => $"{Name} {ShapeText}";
}

/// <summary>A model file that cannot be graded: the message says what is wrong and what to do, in words a student can act on.</summary>
public sealed class ModelFileException(string message) : Exception(message);

/// <summary>Element types by the names the three formats use, with their sizes.</summary>
public static class DTypes
{
    private static readonly (string Name, TorchSharp.torch.ScalarType Type, int Bytes, string Storage, string Safetensors)[] Known =
    [
        ("float32", TorchSharp.torch.ScalarType.Float32, 4, "FloatStorage", "F32"),
        ("float64", TorchSharp.torch.ScalarType.Float64, 8, "DoubleStorage", "F64"),
        ("float16", TorchSharp.torch.ScalarType.Float16, 2, "HalfStorage", "F16"),
        ("bfloat16", TorchSharp.torch.ScalarType.BFloat16, 2, "BFloat16Storage", "BF16"),
        ("int64", TorchSharp.torch.ScalarType.Int64, 8, "LongStorage", "I64"),
        ("int32", TorchSharp.torch.ScalarType.Int32, 4, "IntStorage", "I32"),
        ("int16", TorchSharp.torch.ScalarType.Int16, 2, "ShortStorage", "I16"),
        ("int8", TorchSharp.torch.ScalarType.Int8, 1, "CharStorage", "I8"),
        ("uint8", TorchSharp.torch.ScalarType.Byte, 1, "ByteStorage", "U8"),
        ("bool", TorchSharp.torch.ScalarType.Bool, 1, "BoolStorage", "BOOL"),
    ];

    public static IEnumerable<string> StorageClasses => Known.Select(k => k.Storage);

    public static string? FromStorage(string storageClass) => Known.FirstOrDefault(k => k.Storage == storageClass).Name;
    public static string? FromSafetensors(string code) => Known.FirstOrDefault(k => k.Safetensors == code).Name;
    public static string? FromScalarType(TorchSharp.torch.ScalarType t) => Known.FirstOrDefault(k => k.Type == t).Name;
    public static TorchSharp.torch.ScalarType ScalarTypeOf(string name) => Known.First(k => k.Name == name).Type;
    public static int Size(string name) => Known.First(k => k.Name == name).Bytes;
    public static bool IsFloating(string name) => name is "float32" or "float64" or "float16" or "bfloat16";
}
