using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;
using System.Text;

namespace Harness.Core.Grading.ModelFiles;

/// <summary>
/// Reads a pickle without running it. Python's unpickler calls whatever callable a pickle names (GLOBAL, STACK_GLOBAL,
/// INST) — os.system as readily as torch's tensor rebuilders — so a submitted .pt is never handed to a reader before
/// every opcode has been interpreted here symbolically: only the opcodes that build plain data and the globals that
/// rebuild tensors are accepted, and what the pickle would build (a dictionary of tensor records: storage, offset,
/// shape, stride) comes back, so that names and shapes are checked before a single tensor is read.
/// </summary>
public static class PickleInspector
{
    /// <summary>The only globals a state_dict's pickle needs: the tensor rebuilders, storage types and OrderedDict.</summary>
    public static readonly IReadOnlySet<string> AllowedGlobals = new HashSet<string>(
        new[] { "collections.OrderedDict", "torch._utils._rebuild_tensor", "torch._utils._rebuild_tensor_v2", "torch._utils._rebuild_parameter" }
            .Concat(DTypes.StorageClasses.Select(s => "torch." + s)), StringComparer.Ordinal);

    // Bounds on what a pickle may make the inspector hold, far above any state_dict's needs.
    private const int MaxStack = 1_000_000, MaxMemo = 1_000_000, MaxContainer = 1_000_000;

    public sealed record Global(string Module, string Name) { public string FullName => $"{Module}.{Name}"; }
    /// <summary>A storage as torch.save names it in its persistent id: element type, archive key, elements.</summary>
    public sealed record Storage(string DType, string Key, long Elements);
    public sealed record TensorRef(Storage Storage, long Offset, long[] Shape, long[] Stride, bool Parameter);
    public sealed record PTuple(object?[] Items);
    public sealed class PList { public List<object?> Items { get; } = new(); }
    public sealed class PDict { public List<KeyValuePair<object?, object?>> Items { get; } = new(); }
    /// <summary>What a refused call would have returned: carried on, so that every refused global is named at once.</summary>
    public sealed record Opaque(string What);
    private sealed class Mark { public static readonly Mark Instance = new(); }

    /// <param name="Root">what the pickle builds</param>
    /// <param name="Length">bytes the pickle took, up to and including STOP (legacy files hold several in a row)</param>
    public sealed record Result(object? Root, int Length);

    /// <summary>
    /// Interprets the pickle starting at <paramref name="start"/>; throws <see cref="ModelFileException"/> naming every
    /// refused global, or the opcode it refuses, or where the pickle is malformed. <paramref name="file"/> names it in messages.
    /// </summary>
    public static Result Inspect(byte[] data, int start, int end, string file)
    {
        var r = new Reader(data, start, end, file);
        var stack = new List<object?>();
        var memo = new Dictionary<long, object?>();
        var refused = new List<string>();

        object? Pop()
        {
            if (stack.Count == 0) throw r.Malformed("pops an empty stack");
            var v = stack[^1];
            stack.RemoveAt(stack.Count - 1);
            if (v is Mark) throw r.Malformed("pops a mark");
            return v;
        }
        object? Peek() => stack.Count == 0 || stack[^1] is Mark ? throw r.Malformed("reads an empty stack") : stack[^1];
        void Push(object? v)
        {
            if (stack.Count >= MaxStack) throw r.Malformed("grows its stack beyond any state_dict's");
            stack.Add(v);
        }
        List<object?> PopToMark()
        {
            int m = stack.FindLastIndex(v => v is Mark);
            if (m < 0) throw r.Malformed("has no mark to pop to");
            var items = stack.GetRange(m + 1, stack.Count - m - 1);
            stack.RemoveRange(m, stack.Count - m);
            return items;
        }
        void Memo(long key)
        {
            if (memo.Count >= MaxMemo) throw r.Malformed("memoises more objects than any state_dict");
            memo[key] = Peek();
        }
        object? Recall(long key) => memo.TryGetValue(key, out var v) ? v : throw r.Malformed($"reads memo entry {key}, which was never stored");
        Global NameGlobal(string module, string name)
        {
            var g = new Global(module, name);
            if (!AllowedGlobals.Contains(g.FullName) && !refused.Contains(g.FullName)) refused.Add(g.FullName);
            return g;
        }

        while (true)
        {
            int at = r.Position;
            byte op = r.Byte();
            switch (op)
            {
                case 0x80: r.Byte(); break;                                  // PROTO
                case 0x95: r.Bytes(8); break;                                // FRAME
                case (byte)'(': stack.Add(Mark.Instance); break;             // MARK
                case (byte)'.':                                              // STOP
                    var root = Pop();
                    if (refused.Count > 0) throw Refused(file, refused);
                    return new Result(root, r.Position - start);
                case (byte)'0': Pop(); break;                                // POP
                case (byte)'1': PopToMark(); break;                          // POP_MARK
                case (byte)'2': Push(Peek()); break;                         // DUP
                case (byte)'I':                                              // INT (protocol 0; 00/01 are False/True)
                {
                    var line = r.Line();
                    Push(line == "00" ? false : line == "01" ? true : long.TryParse(line, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : throw r.Malformed($"has INT '{line}'"));
                    break;
                }
                case (byte)'J': Push((long)BinaryPrimitives.ReadInt32LittleEndian(r.Bytes(4))); break;
                case (byte)'K': Push((long)r.Byte()); break;
                case (byte)'M': Push((long)BinaryPrimitives.ReadUInt16LittleEndian(r.Bytes(2))); break;
                case (byte)'L':                                              // LONG (protocol 0)
                {
                    var line = r.Line().TrimEnd('L');
                    Push(BigInteger.TryParse(line, NumberStyles.Integer, CultureInfo.InvariantCulture, out var b) ? Narrow(b) : throw r.Malformed($"has LONG '{line}'"));
                    break;
                }
                case 0x8a: Push(Narrow(new BigInteger(r.Bytes(r.Byte()), isUnsigned: false, isBigEndian: false))); break;   // LONG1
                case 0x8b: Push(Narrow(new BigInteger(r.Bytes(r.Length32()), isUnsigned: false, isBigEndian: false))); break; // LONG4
                case (byte)'F': Push(double.TryParse(r.Line(), NumberStyles.Float, CultureInfo.InvariantCulture, out var f) ? f : throw r.Malformed("has a bad FLOAT")); break;
                case (byte)'G': Push(BinaryPrimitives.ReadDoubleBigEndian(r.Bytes(8))); break;
                case (byte)'N': Push(null); break;
                case 0x88: Push(true); break;
                case 0x89: Push(false); break;
                case (byte)'S': Push(Unquote(r.Line())); break;              // STRING
                case (byte)'T': Push(Encoding.Latin1.GetString(r.Bytes(r.Length32()))); break;
                case (byte)'U': Push(Encoding.Latin1.GetString(r.Bytes(r.Byte()))); break;
                case (byte)'V': Push(r.Line()); break;                       // UNICODE (raw-unicode-escape; names only)
                case (byte)'X': Push(r.Utf8(r.Length32())); break;           // BINUNICODE
                case 0x8c: Push(r.Utf8(r.Byte())); break;                    // SHORT_BINUNICODE
                case 0x8d: Push(r.Utf8(r.Length64())); break;                // BINUNICODE8
                case (byte)'B': Push(r.Bytes(r.Length32()).ToArray()); break; // BINBYTES
                case (byte)'C': Push(r.Bytes(r.Byte()).ToArray()); break;
                case 0x8e: Push(r.Bytes(r.Length64()).ToArray()); break;      // BINBYTES8
                case 0x96: Push(r.Bytes(r.Length64()).ToArray()); break;      // BYTEARRAY8
                case (byte)')': Push(new PTuple([])); break;
                case (byte)'t': Push(new PTuple(PopToMark().ToArray())); break;
                case 0x85: Push(new PTuple([Pop()])); break;
                case 0x86: { var b = Pop(); var a = Pop(); Push(new PTuple([a, b])); break; }
                case 0x87: { var c = Pop(); var b = Pop(); var a = Pop(); Push(new PTuple([a, b, c])); break; }
                case (byte)']': Push(new PList()); break;
                case (byte)'l': { var l = new PList(); l.Items.AddRange(PopToMark()); Push(l); break; }
                case 0x8f: Push(new PList()); break;                         // EMPTY_SET (a set of plain data)
                case 0x91: { var l = new PList(); l.Items.AddRange(PopToMark()); Push(l); break; }   // FROZENSET
                case (byte)'a': { var v = Pop(); Append(Peek(), [v], r); break; }
                case (byte)'e': case 0x90: { var items = PopToMark(); Append(Peek(), items, r); break; }   // APPENDS, ADDITEMS
                case (byte)'}': Push(new PDict()); break;
                case (byte)'d': { var d = new PDict(); SetItems(d, PopToMark(), r); Push(d); break; }
                case (byte)'s': { var v = Pop(); var k = Pop(); SetItems(Peek(), [k, v], r); break; }
                case (byte)'u': { var items = PopToMark(); SetItems(Peek(), items, r); break; }
                case (byte)'p': Memo(r.LineNumber()); break;
                case (byte)'q': Memo(r.Byte()); break;
                case (byte)'r': Memo(BinaryPrimitives.ReadUInt32LittleEndian(r.Bytes(4))); break;
                case 0x94: Memo(memo.Count); break;                          // MEMOIZE
                case (byte)'g': Push(Recall(r.LineNumber())); break;
                case (byte)'h': Push(Recall(r.Byte())); break;
                case (byte)'j': Push(Recall(BinaryPrimitives.ReadUInt32LittleEndian(r.Bytes(4)))); break;
                case (byte)'P': Push(Persistent(new PTuple([r.Line()]), r)); break;   // PERSID
                case (byte)'Q': Push(Persistent(Pop(), r)); break;           // BINPERSID
                case (byte)'c': { var module = r.Line(); var name = r.Line(); Push(NameGlobal(module, name)); break; }   // GLOBAL
                case 0x93:                                                   // STACK_GLOBAL
                {
                    var name = Pop(); var module = Pop();
                    if (module is not string m || name is not string n) throw r.Refuse("STACK_GLOBAL with a computed name (only literal module and names can be checked)");
                    Push(NameGlobal(m, n));
                    break;
                }
                case (byte)'i':                                              // INST: module, name, then the arguments to the mark
                {
                    var module = r.Line(); var name = r.Line();
                    var g = NameGlobal(module, name);
                    Push(Call(g, PopToMark().ToArray(), r));
                    break;
                }
                case (byte)'o': { var items = PopToMark(); if (items.Count == 0) throw r.Malformed("has OBJ without a class"); Push(Call(items[0], items.Skip(1).ToArray(), r)); break; }
                case (byte)'R': { var args = Pop(); var fn = Pop(); Push(Call(fn, Args(args, r), r)); break; }   // REDUCE
                case 0x81: { var args = Pop(); var cls = Pop(); Push(Call(cls, Args(args, r), r)); break; }      // NEWOBJ
                case 0x92: { Pop(); var args = Pop(); var cls = Pop(); Push(Call(cls, Args(args, r), r)); break; } // NEWOBJ_EX
                case (byte)'b': Pop(); Peek(); break;                        // BUILD: state on a dict or tensor (e.g. _metadata) is not modelled
                case 0x82: case 0x83: case 0x84:
                    throw r.Refuse($"opcode EXT{(op == 0x82 ? 1 : op == 0x83 ? 2 : 4)} at byte {at} (the copyreg extension registry can name any callable)");
                case 0x97: case 0x98:
                    throw r.Refuse($"an out-of-band buffer at byte {at} (pickle protocol 5 buffers are not part of torch.save's format)");
                default:
                    throw r.Refuse($"opcode 0x{op:x2} at byte {at}, which is not a pickle opcode");
            }
        }

        object?[] Args(object? args, Reader rd) => args is PTuple t ? t.Items : throw rd.Malformed("calls with arguments that are not a tuple");
    }

    /// <summary>What a call would build, for the accepted globals; anything else (a refused global) is opaque.</summary>
    private static object? Call(object? callable, object?[] args, Reader r)
    {
        if (callable is Opaque o) return o;
        if (callable is not Global g) throw r.Malformed("calls something that is not a global");
        switch (g.FullName)
        {
            case "collections.OrderedDict":
                var d = new PDict();
                // OrderedDict(pairs): torch writes a list of pairs or none; PyBridge writes OrderedDict(()) for the empty hooks.
                IEnumerable<object?>? pairs = args.Length == 1 ? (args[0] as PList)?.Items ?? (IEnumerable<object?>?)(args[0] as PTuple)?.Items : null;
                if (pairs is not null)
                    foreach (var p in pairs)
                        if (p is PTuple { Items.Length: 2 } kv) d.Items.Add(new(kv.Items[0], kv.Items[1]));
                        else throw r.Malformed("builds an OrderedDict from something that is not (key, value) pairs");
                else if (args.Length != 0) throw r.Malformed("builds an OrderedDict with unexpected arguments");
                return d;
            case "torch._utils._rebuild_tensor_v2":
            case "torch._utils._rebuild_tensor":
                if (args.Length < 4 || args[0] is not Storage s || args[1] is not long offset || args[2] is not PTuple size || args[3] is not PTuple stride)
                    throw r.Malformed("rebuilds a tensor from arguments that are not (storage, offset, size, stride, …)");
                return new TensorRef(s, offset, Longs(size, r), Longs(stride, r), Parameter: false);
            case "torch._utils._rebuild_parameter":
                if (args.Length < 1 || args[0] is not TensorRef t) throw r.Malformed("rebuilds a parameter from something that is not a tensor");
                return t with { Parameter = true };
            default:
                // A storage type is only a tag inside a persistent id; calling it (or a refused global) builds nothing we model.
                return new Opaque(g.FullName);
        }
    }

    /// <summary>torch.save's persistent id of a storage: ("storage", torch.FloatStorage, key, location, elements[, view]).</summary>
    private static object Persistent(object? pid, Reader r)
    {
        if (pid is not PTuple { Items.Length: >= 5 } t || t.Items[0] is not "storage")
            throw r.Refuse("a persistent id that is not a tensor storage (torch.save writes only storages there)");
        if (t.Items[1] is not Global { Module: "torch" } type || DTypes.FromStorage(type.Name) is not { } dtype)
            throw r.Refuse($"a storage of type {(t.Items[1] as Global)?.FullName ?? "?"}, which is not one of torch's tensor storages");
        if (t.Items[2] is not string key || t.Items[4] is not long elements || elements < 0)
            throw r.Malformed("names a storage without a key or element count");
        return new Storage(dtype, key, elements);
    }

    private static long[] Longs(PTuple t, Reader r) =>
        t.Items.Select(v => v is long l && l >= 0 ? l : throw r.Malformed("gives a tensor a size or stride that is not a whole number ≥ 0")).ToArray();

    private static void Append(object? target, IReadOnlyList<object?> items, Reader r)
    {
        if (target is PList l) { if (l.Items.Count + items.Count > MaxContainer) throw r.Malformed("builds a list beyond any state_dict's"); l.Items.AddRange(items); }
        else if (target is not Opaque) throw r.Malformed("appends to something that is not a list");
    }

    private static void SetItems(object? target, IReadOnlyList<object?> items, Reader r)
    {
        if (items.Count % 2 != 0) throw r.Malformed("sets dictionary items from an odd number of values");
        if (target is Opaque) return;
        if (target is not PDict d) throw r.Malformed("sets items of something that is not a dictionary");
        if (d.Items.Count + items.Count / 2 > MaxContainer) throw r.Malformed("builds a dictionary beyond any state_dict's");
        for (int i = 0; i < items.Count; i += 2) d.Items.Add(new(items[i], items[i + 1]));
    }

    private static object Narrow(BigInteger b) => b >= long.MinValue && b <= long.MaxValue ? (long)b : b;

    private static string Unquote(string s) => s.Length >= 2 && (s[0] == '\'' || s[0] == '"') && s[^1] == s[0] ? s[1..^1] : s;

    /// <summary>The message for refused globals: a whole pickled model, code that would run, or merely something unexpected.</summary>
    private static ModelFileException Refused(string file, IReadOnlyList<string> names)
    {
        var list = string.Join(", ", names.Take(8)) + (names.Count > 8 ? $" and {names.Count - 8} more" : "");
        var allowed = "only tensor-rebuilding globals are accepted (torch._utils._rebuild_tensor_v2, torch.FloatStorage and the other storages, collections.OrderedDict)";
        string[] dangerous = ["os.", "posix.", "nt.", "subprocess.", "builtins.", "__builtin__.", "sys.", "shutil.", "socket.", "importlib.", "runpy.", "pty.", "webbrowser."];
        if (names.Any(n => dangerous.Any(d => n.StartsWith(d, StringComparison.Ordinal))))
            return new ModelFileException($"{file} was refused and not loaded: its pickle names {list}, which Python would call while loading it — code, not weights. Nothing from it was run; {allowed}. Submit the weights alone: torch.save(model.state_dict(), \"{Path.GetFileName(file)}\").");
        if (names.Any(n => n.StartsWith("__main__.", StringComparison.Ordinal) || n.StartsWith("torch.nn.", StringComparison.Ordinal)))
            return new ModelFileException($"{file} holds a whole pickled model (it names {list}), not a state_dict: save the weights alone with torch.save(model.state_dict(), \"{Path.GetFileName(file)}\"). It was not loaded: {allowed}.");
        return new ModelFileException($"{file} was refused and not loaded: its pickle names {list}; {allowed}. Save the weights with torch.save(model.state_dict(), \"{Path.GetFileName(file)}\").");
    }

    /// <summary>Bounded reads over the pickle's bytes, with messages that say where it went wrong.</summary>
    private sealed class Reader
    {
        private readonly byte[] data;
        private readonly int start, end;
        private readonly string file;

        public Reader(byte[] data, int start, int end, string file)
        {
            this.data = data; this.start = start; this.end = end; this.file = file;
            Position = start;
        }

        public int Position { get; private set; }

        public byte Byte() => Position < end ? data[Position++] : throw Malformed("ends before its STOP opcode (the file is truncated)");

        public ReadOnlySpan<byte> Bytes(long n)
        {
            if (n < 0 || n > end - Position) throw Malformed($"declares {n:N0} bytes where only {end - Position:N0} remain (the file is truncated or corrupt)");
            var span = new ReadOnlySpan<byte>(data, Position, (int)n);
            Position += (int)n;
            return span;
        }

        public long Length32() => BinaryPrimitives.ReadUInt32LittleEndian(Bytes(4));
        public long Length64()
        {
            var n = BinaryPrimitives.ReadUInt64LittleEndian(Bytes(8));
            return n > (ulong)(end - Position) ? throw Malformed($"declares {n:N0} bytes where only {end - Position:N0} remain") : (long)n;
        }

        public string Utf8(long n)
        {
            try { return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(Bytes(n)); }
            catch (DecoderFallbackException) { throw Malformed("holds a string that is not UTF-8"); }
        }

        public string Line()
        {
            int nl = Array.IndexOf(data, (byte)'\n', Position, end - Position);
            if (nl < 0) throw Malformed("ends inside a text line");
            var s = Encoding.UTF8.GetString(data, Position, nl - Position);
            Position = nl + 1;
            return s;
        }

        public long LineNumber() => long.TryParse(Line(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : throw Malformed("has a memo index that is not a number");

        public ModelFileException Malformed(string what) =>
            new($"{file} is not a readable PyTorch file: its pickle {what} (at byte {Position - start}). Save it again with torch.save(model.state_dict(), \"{Path.GetFileName(file)}\").");

        public ModelFileException Refuse(string what) =>
            new($"{file} was refused and not loaded: its pickle uses {what}. Only plain data and tensor-rebuilding globals are accepted; save it with torch.save(model.state_dict(), \"{Path.GetFileName(file)}\").");
    }
}
