using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Cloud.Modules.Kernel.Crypto;

/// <summary>
/// MD5's compression function (RFC 1321), unrolled, in two forms: <see cref="Lanes"/> runs up to eight independent
/// messages in lockstep, one per 32-bit lane of an AVX-512VL vector, and <see cref="Scalar"/> runs one. MD5 is a chain
/// of dependent steps, so one message cannot go faster than the chain's latency (OpenSSL's assembly reaches it); the
/// lanes run several messages along the same chain for about the price of one (measured with the three replicas of a
/// large PUT: 3 x 64 MiB in 0.14 CPU-s against OpenSSL's 0.23; 8 x 64 MiB in 0.14 against 0.61).
/// </summary>
internal static unsafe class Md5Rounds
{
    /// <summary>The most messages <see cref="Lanes"/> takes at once.</summary>
    public const int MaxLanes = 8;

    /// <summary>Whether this processor runs <see cref="Lanes"/> (AVX-512F with the 256-bit forms).</summary>
    public static bool LanesSupported => Avx512F.VL.IsSupported;

    /// <summary>
    /// Runs <paramref name="blocks"/> 64-byte blocks of each message: lane <c>i</c>'s state is
    /// <c>states[4i..4i+3]</c> and its blocks start at <c>data[i]</c>; <paramref name="lanes"/> is 1 to <see cref="MaxLanes"/>.
    /// </summary>
    public static void Lanes(Span<uint> states, byte** data, int lanes, int blocks)
    {
        if (!BitConverter.IsLittleEndian || lanes < 1 || lanes > MaxLanes || states.Length < 4 * lanes)
        {
            throw new ArgumentOutOfRangeException(nameof(lanes));
        }
        // Unused lanes repeat lane 0: their results are dropped.
        var p = stackalloc uint*[MaxLanes];
        var s = stackalloc uint[4 * MaxLanes];
        for (var i = 0; i < MaxLanes; i++)
        {
            var lane = i < lanes ? i : 0;
            p[i] = (uint*)data[lane];
            for (var k = 0; k < 4; k++)
            {
                s[4 * i + k] = states[4 * lane + k];
            }
        }
        var a = Vector256.Create(s[0], s[4], s[8], s[12], s[16], s[20], s[24], s[28]);
        var b = Vector256.Create(s[1], s[5], s[9], s[13], s[17], s[21], s[25], s[29]);
        var c = Vector256.Create(s[2], s[6], s[10], s[14], s[18], s[22], s[26], s[30]);
        var d = Vector256.Create(s[3], s[7], s[11], s[15], s[19], s[23], s[27], s[31]);
        uint* p0 = p[0], p1 = p[1], p2 = p[2], p3 = p[3], p4 = p[4], p5 = p[5], p6 = p[6], p7 = p[7];
        for (var block = 0; block < blocks; block++)
        {
            var m0 = Vector256.Create(p0[0], p1[0], p2[0], p3[0], p4[0], p5[0], p6[0], p7[0]);
            var m1 = Vector256.Create(p0[1], p1[1], p2[1], p3[1], p4[1], p5[1], p6[1], p7[1]);
            var m2 = Vector256.Create(p0[2], p1[2], p2[2], p3[2], p4[2], p5[2], p6[2], p7[2]);
            var m3 = Vector256.Create(p0[3], p1[3], p2[3], p3[3], p4[3], p5[3], p6[3], p7[3]);
            var m4 = Vector256.Create(p0[4], p1[4], p2[4], p3[4], p4[4], p5[4], p6[4], p7[4]);
            var m5 = Vector256.Create(p0[5], p1[5], p2[5], p3[5], p4[5], p5[5], p6[5], p7[5]);
            var m6 = Vector256.Create(p0[6], p1[6], p2[6], p3[6], p4[6], p5[6], p6[6], p7[6]);
            var m7 = Vector256.Create(p0[7], p1[7], p2[7], p3[7], p4[7], p5[7], p6[7], p7[7]);
            var m8 = Vector256.Create(p0[8], p1[8], p2[8], p3[8], p4[8], p5[8], p6[8], p7[8]);
            var m9 = Vector256.Create(p0[9], p1[9], p2[9], p3[9], p4[9], p5[9], p6[9], p7[9]);
            var m10 = Vector256.Create(p0[10], p1[10], p2[10], p3[10], p4[10], p5[10], p6[10], p7[10]);
            var m11 = Vector256.Create(p0[11], p1[11], p2[11], p3[11], p4[11], p5[11], p6[11], p7[11]);
            var m12 = Vector256.Create(p0[12], p1[12], p2[12], p3[12], p4[12], p5[12], p6[12], p7[12]);
            var m13 = Vector256.Create(p0[13], p1[13], p2[13], p3[13], p4[13], p5[13], p6[13], p7[13]);
            var m14 = Vector256.Create(p0[14], p1[14], p2[14], p3[14], p4[14], p5[14], p6[14], p7[14]);
            var m15 = Vector256.Create(p0[15], p1[15], p2[15], p3[15], p4[15], p5[15], p6[15], p7[15]);
            var (aa, bb, cc, dd) = (a, b, c, d);
            a = b + Avx512F.VL.RotateLeft(a + Vector256.Create(0xD76AA478u) + m0 + Avx512F.VL.TernaryLogic(b, c, d, 0xCA), 7);
            d = a + Avx512F.VL.RotateLeft(d + Vector256.Create(0xE8C7B756u) + m1 + Avx512F.VL.TernaryLogic(a, b, c, 0xCA), 12);
            c = d + Avx512F.VL.RotateLeft(c + Vector256.Create(0x242070DBu) + m2 + Avx512F.VL.TernaryLogic(d, a, b, 0xCA), 17);
            b = c + Avx512F.VL.RotateLeft(b + Vector256.Create(0xC1BDCEEEu) + m3 + Avx512F.VL.TernaryLogic(c, d, a, 0xCA), 22);
            a = b + Avx512F.VL.RotateLeft(a + Vector256.Create(0xF57C0FAFu) + m4 + Avx512F.VL.TernaryLogic(b, c, d, 0xCA), 7);
            d = a + Avx512F.VL.RotateLeft(d + Vector256.Create(0x4787C62Au) + m5 + Avx512F.VL.TernaryLogic(a, b, c, 0xCA), 12);
            c = d + Avx512F.VL.RotateLeft(c + Vector256.Create(0xA8304613u) + m6 + Avx512F.VL.TernaryLogic(d, a, b, 0xCA), 17);
            b = c + Avx512F.VL.RotateLeft(b + Vector256.Create(0xFD469501u) + m7 + Avx512F.VL.TernaryLogic(c, d, a, 0xCA), 22);
            a = b + Avx512F.VL.RotateLeft(a + Vector256.Create(0x698098D8u) + m8 + Avx512F.VL.TernaryLogic(b, c, d, 0xCA), 7);
            d = a + Avx512F.VL.RotateLeft(d + Vector256.Create(0x8B44F7AFu) + m9 + Avx512F.VL.TernaryLogic(a, b, c, 0xCA), 12);
            c = d + Avx512F.VL.RotateLeft(c + Vector256.Create(0xFFFF5BB1u) + m10 + Avx512F.VL.TernaryLogic(d, a, b, 0xCA), 17);
            b = c + Avx512F.VL.RotateLeft(b + Vector256.Create(0x895CD7BEu) + m11 + Avx512F.VL.TernaryLogic(c, d, a, 0xCA), 22);
            a = b + Avx512F.VL.RotateLeft(a + Vector256.Create(0x6B901122u) + m12 + Avx512F.VL.TernaryLogic(b, c, d, 0xCA), 7);
            d = a + Avx512F.VL.RotateLeft(d + Vector256.Create(0xFD987193u) + m13 + Avx512F.VL.TernaryLogic(a, b, c, 0xCA), 12);
            c = d + Avx512F.VL.RotateLeft(c + Vector256.Create(0xA679438Eu) + m14 + Avx512F.VL.TernaryLogic(d, a, b, 0xCA), 17);
            b = c + Avx512F.VL.RotateLeft(b + Vector256.Create(0x49B40821u) + m15 + Avx512F.VL.TernaryLogic(c, d, a, 0xCA), 22);
            a = b + Avx512F.VL.RotateLeft(a + Vector256.Create(0xF61E2562u) + m1 + Avx512F.VL.TernaryLogic(d, b, c, 0xCA), 5);
            d = a + Avx512F.VL.RotateLeft(d + Vector256.Create(0xC040B340u) + m6 + Avx512F.VL.TernaryLogic(c, a, b, 0xCA), 9);
            c = d + Avx512F.VL.RotateLeft(c + Vector256.Create(0x265E5A51u) + m11 + Avx512F.VL.TernaryLogic(b, d, a, 0xCA), 14);
            b = c + Avx512F.VL.RotateLeft(b + Vector256.Create(0xE9B6C7AAu) + m0 + Avx512F.VL.TernaryLogic(a, c, d, 0xCA), 20);
            a = b + Avx512F.VL.RotateLeft(a + Vector256.Create(0xD62F105Du) + m5 + Avx512F.VL.TernaryLogic(d, b, c, 0xCA), 5);
            d = a + Avx512F.VL.RotateLeft(d + Vector256.Create(0x02441453u) + m10 + Avx512F.VL.TernaryLogic(c, a, b, 0xCA), 9);
            c = d + Avx512F.VL.RotateLeft(c + Vector256.Create(0xD8A1E681u) + m15 + Avx512F.VL.TernaryLogic(b, d, a, 0xCA), 14);
            b = c + Avx512F.VL.RotateLeft(b + Vector256.Create(0xE7D3FBC8u) + m4 + Avx512F.VL.TernaryLogic(a, c, d, 0xCA), 20);
            a = b + Avx512F.VL.RotateLeft(a + Vector256.Create(0x21E1CDE6u) + m9 + Avx512F.VL.TernaryLogic(d, b, c, 0xCA), 5);
            d = a + Avx512F.VL.RotateLeft(d + Vector256.Create(0xC33707D6u) + m14 + Avx512F.VL.TernaryLogic(c, a, b, 0xCA), 9);
            c = d + Avx512F.VL.RotateLeft(c + Vector256.Create(0xF4D50D87u) + m3 + Avx512F.VL.TernaryLogic(b, d, a, 0xCA), 14);
            b = c + Avx512F.VL.RotateLeft(b + Vector256.Create(0x455A14EDu) + m8 + Avx512F.VL.TernaryLogic(a, c, d, 0xCA), 20);
            a = b + Avx512F.VL.RotateLeft(a + Vector256.Create(0xA9E3E905u) + m13 + Avx512F.VL.TernaryLogic(d, b, c, 0xCA), 5);
            d = a + Avx512F.VL.RotateLeft(d + Vector256.Create(0xFCEFA3F8u) + m2 + Avx512F.VL.TernaryLogic(c, a, b, 0xCA), 9);
            c = d + Avx512F.VL.RotateLeft(c + Vector256.Create(0x676F02D9u) + m7 + Avx512F.VL.TernaryLogic(b, d, a, 0xCA), 14);
            b = c + Avx512F.VL.RotateLeft(b + Vector256.Create(0x8D2A4C8Au) + m12 + Avx512F.VL.TernaryLogic(a, c, d, 0xCA), 20);
            a = b + Avx512F.VL.RotateLeft(a + Vector256.Create(0xFFFA3942u) + m5 + Avx512F.VL.TernaryLogic(b, c, d, 0x96), 4);
            d = a + Avx512F.VL.RotateLeft(d + Vector256.Create(0x8771F681u) + m8 + Avx512F.VL.TernaryLogic(a, b, c, 0x96), 11);
            c = d + Avx512F.VL.RotateLeft(c + Vector256.Create(0x6D9D6122u) + m11 + Avx512F.VL.TernaryLogic(d, a, b, 0x96), 16);
            b = c + Avx512F.VL.RotateLeft(b + Vector256.Create(0xFDE5380Cu) + m14 + Avx512F.VL.TernaryLogic(c, d, a, 0x96), 23);
            a = b + Avx512F.VL.RotateLeft(a + Vector256.Create(0xA4BEEA44u) + m1 + Avx512F.VL.TernaryLogic(b, c, d, 0x96), 4);
            d = a + Avx512F.VL.RotateLeft(d + Vector256.Create(0x4BDECFA9u) + m4 + Avx512F.VL.TernaryLogic(a, b, c, 0x96), 11);
            c = d + Avx512F.VL.RotateLeft(c + Vector256.Create(0xF6BB4B60u) + m7 + Avx512F.VL.TernaryLogic(d, a, b, 0x96), 16);
            b = c + Avx512F.VL.RotateLeft(b + Vector256.Create(0xBEBFBC70u) + m10 + Avx512F.VL.TernaryLogic(c, d, a, 0x96), 23);
            a = b + Avx512F.VL.RotateLeft(a + Vector256.Create(0x289B7EC6u) + m13 + Avx512F.VL.TernaryLogic(b, c, d, 0x96), 4);
            d = a + Avx512F.VL.RotateLeft(d + Vector256.Create(0xEAA127FAu) + m0 + Avx512F.VL.TernaryLogic(a, b, c, 0x96), 11);
            c = d + Avx512F.VL.RotateLeft(c + Vector256.Create(0xD4EF3085u) + m3 + Avx512F.VL.TernaryLogic(d, a, b, 0x96), 16);
            b = c + Avx512F.VL.RotateLeft(b + Vector256.Create(0x04881D05u) + m6 + Avx512F.VL.TernaryLogic(c, d, a, 0x96), 23);
            a = b + Avx512F.VL.RotateLeft(a + Vector256.Create(0xD9D4D039u) + m9 + Avx512F.VL.TernaryLogic(b, c, d, 0x96), 4);
            d = a + Avx512F.VL.RotateLeft(d + Vector256.Create(0xE6DB99E5u) + m12 + Avx512F.VL.TernaryLogic(a, b, c, 0x96), 11);
            c = d + Avx512F.VL.RotateLeft(c + Vector256.Create(0x1FA27CF8u) + m15 + Avx512F.VL.TernaryLogic(d, a, b, 0x96), 16);
            b = c + Avx512F.VL.RotateLeft(b + Vector256.Create(0xC4AC5665u) + m2 + Avx512F.VL.TernaryLogic(c, d, a, 0x96), 23);
            a = b + Avx512F.VL.RotateLeft(a + Vector256.Create(0xF4292244u) + m0 + Avx512F.VL.TernaryLogic(b, c, d, 0x39), 6);
            d = a + Avx512F.VL.RotateLeft(d + Vector256.Create(0x432AFF97u) + m7 + Avx512F.VL.TernaryLogic(a, b, c, 0x39), 10);
            c = d + Avx512F.VL.RotateLeft(c + Vector256.Create(0xAB9423A7u) + m14 + Avx512F.VL.TernaryLogic(d, a, b, 0x39), 15);
            b = c + Avx512F.VL.RotateLeft(b + Vector256.Create(0xFC93A039u) + m5 + Avx512F.VL.TernaryLogic(c, d, a, 0x39), 21);
            a = b + Avx512F.VL.RotateLeft(a + Vector256.Create(0x655B59C3u) + m12 + Avx512F.VL.TernaryLogic(b, c, d, 0x39), 6);
            d = a + Avx512F.VL.RotateLeft(d + Vector256.Create(0x8F0CCC92u) + m3 + Avx512F.VL.TernaryLogic(a, b, c, 0x39), 10);
            c = d + Avx512F.VL.RotateLeft(c + Vector256.Create(0xFFEFF47Du) + m10 + Avx512F.VL.TernaryLogic(d, a, b, 0x39), 15);
            b = c + Avx512F.VL.RotateLeft(b + Vector256.Create(0x85845DD1u) + m1 + Avx512F.VL.TernaryLogic(c, d, a, 0x39), 21);
            a = b + Avx512F.VL.RotateLeft(a + Vector256.Create(0x6FA87E4Fu) + m8 + Avx512F.VL.TernaryLogic(b, c, d, 0x39), 6);
            d = a + Avx512F.VL.RotateLeft(d + Vector256.Create(0xFE2CE6E0u) + m15 + Avx512F.VL.TernaryLogic(a, b, c, 0x39), 10);
            c = d + Avx512F.VL.RotateLeft(c + Vector256.Create(0xA3014314u) + m6 + Avx512F.VL.TernaryLogic(d, a, b, 0x39), 15);
            b = c + Avx512F.VL.RotateLeft(b + Vector256.Create(0x4E0811A1u) + m13 + Avx512F.VL.TernaryLogic(c, d, a, 0x39), 21);
            a = b + Avx512F.VL.RotateLeft(a + Vector256.Create(0xF7537E82u) + m4 + Avx512F.VL.TernaryLogic(b, c, d, 0x39), 6);
            d = a + Avx512F.VL.RotateLeft(d + Vector256.Create(0xBD3AF235u) + m11 + Avx512F.VL.TernaryLogic(a, b, c, 0x39), 10);
            c = d + Avx512F.VL.RotateLeft(c + Vector256.Create(0x2AD7D2BBu) + m2 + Avx512F.VL.TernaryLogic(d, a, b, 0x39), 15);
            b = c + Avx512F.VL.RotateLeft(b + Vector256.Create(0xEB86D391u) + m9 + Avx512F.VL.TernaryLogic(c, d, a, 0x39), 21);
            (a, b, c, d) = (a + aa, b + bb, c + cc, d + dd);
            p0 += 16;
            p1 += 16;
            p2 += 16;
            p3 += 16;
            p4 += 16;
            p5 += 16;
            p6 += 16;
            p7 += 16;
        }
        for (var i = 0; i < lanes; i++)
        {
            states[4 * i] = a[i];
            states[4 * i + 1] = b[i];
            states[4 * i + 2] = c[i];
            states[4 * i + 3] = d[i];
        }
    }

    /// <summary><see cref="Lanes(Span{uint}, byte**, int, int)"/> over arrays: lane <c>i</c>'s blocks are <c>data[i]</c>.</summary>
    public static void LanesOf(Span<uint> states, IReadOnlyList<ReadOnlyMemory<byte>> data, int blocks)
    {
        var pins = data.Select(d => d.Length >= 64 * blocks ? d.Pin() : throw new ArgumentException("A lane is shorter than the blocks.", nameof(data))).ToArray();
        try
        {
            var pointers = stackalloc byte*[pins.Length];
            for (var i = 0; i < pins.Length; i++)
            {
                pointers[i] = (byte*)pins[i].Pointer;
            }
            Lanes(states, pointers, pins.Length, blocks);
        }
        finally
        {
            foreach (var pin in pins)
            {
                pin.Dispose();
            }
        }
    }

    /// <summary>Runs <paramref name="blocks"/> 64-byte blocks of one message whose state is <paramref name="state"/> (4 words).</summary>
    public static void Scalar(Span<uint> state, ReadOnlySpan<byte> data, int blocks)
    {
        if (!BitConverter.IsLittleEndian || data.Length < 64 * blocks)
        {
            throw new ArgumentOutOfRangeException(nameof(blocks));
        }
        uint a = state[0], b = state[1], c = state[2], d = state[3];
        fixed (byte* start = data)
        {
            for (var block = 0; block < blocks; block++)
            {
                // The message words read in place (little-endian, as MD5's are).
                var m = (uint*)(start + 64 * block);
                var (aa, bb, cc, dd) = (a, b, c, d);
                a = b + BitOperations.RotateLeft(a + 0xD76AA478u + m[0] + (d ^ (b & (c ^ d))), 7);
                d = a + BitOperations.RotateLeft(d + 0xE8C7B756u + m[1] + (c ^ (a & (b ^ c))), 12);
                c = d + BitOperations.RotateLeft(c + 0x242070DBu + m[2] + (b ^ (d & (a ^ b))), 17);
                b = c + BitOperations.RotateLeft(b + 0xC1BDCEEEu + m[3] + (a ^ (c & (d ^ a))), 22);
                a = b + BitOperations.RotateLeft(a + 0xF57C0FAFu + m[4] + (d ^ (b & (c ^ d))), 7);
                d = a + BitOperations.RotateLeft(d + 0x4787C62Au + m[5] + (c ^ (a & (b ^ c))), 12);
                c = d + BitOperations.RotateLeft(c + 0xA8304613u + m[6] + (b ^ (d & (a ^ b))), 17);
                b = c + BitOperations.RotateLeft(b + 0xFD469501u + m[7] + (a ^ (c & (d ^ a))), 22);
                a = b + BitOperations.RotateLeft(a + 0x698098D8u + m[8] + (d ^ (b & (c ^ d))), 7);
                d = a + BitOperations.RotateLeft(d + 0x8B44F7AFu + m[9] + (c ^ (a & (b ^ c))), 12);
                c = d + BitOperations.RotateLeft(c + 0xFFFF5BB1u + m[10] + (b ^ (d & (a ^ b))), 17);
                b = c + BitOperations.RotateLeft(b + 0x895CD7BEu + m[11] + (a ^ (c & (d ^ a))), 22);
                a = b + BitOperations.RotateLeft(a + 0x6B901122u + m[12] + (d ^ (b & (c ^ d))), 7);
                d = a + BitOperations.RotateLeft(d + 0xFD987193u + m[13] + (c ^ (a & (b ^ c))), 12);
                c = d + BitOperations.RotateLeft(c + 0xA679438Eu + m[14] + (b ^ (d & (a ^ b))), 17);
                b = c + BitOperations.RotateLeft(b + 0x49B40821u + m[15] + (a ^ (c & (d ^ a))), 22);
                a = b + BitOperations.RotateLeft(a + 0xF61E2562u + m[1] + (c ^ (d & (b ^ c))), 5);
                d = a + BitOperations.RotateLeft(d + 0xC040B340u + m[6] + (b ^ (c & (a ^ b))), 9);
                c = d + BitOperations.RotateLeft(c + 0x265E5A51u + m[11] + (a ^ (b & (d ^ a))), 14);
                b = c + BitOperations.RotateLeft(b + 0xE9B6C7AAu + m[0] + (d ^ (a & (c ^ d))), 20);
                a = b + BitOperations.RotateLeft(a + 0xD62F105Du + m[5] + (c ^ (d & (b ^ c))), 5);
                d = a + BitOperations.RotateLeft(d + 0x02441453u + m[10] + (b ^ (c & (a ^ b))), 9);
                c = d + BitOperations.RotateLeft(c + 0xD8A1E681u + m[15] + (a ^ (b & (d ^ a))), 14);
                b = c + BitOperations.RotateLeft(b + 0xE7D3FBC8u + m[4] + (d ^ (a & (c ^ d))), 20);
                a = b + BitOperations.RotateLeft(a + 0x21E1CDE6u + m[9] + (c ^ (d & (b ^ c))), 5);
                d = a + BitOperations.RotateLeft(d + 0xC33707D6u + m[14] + (b ^ (c & (a ^ b))), 9);
                c = d + BitOperations.RotateLeft(c + 0xF4D50D87u + m[3] + (a ^ (b & (d ^ a))), 14);
                b = c + BitOperations.RotateLeft(b + 0x455A14EDu + m[8] + (d ^ (a & (c ^ d))), 20);
                a = b + BitOperations.RotateLeft(a + 0xA9E3E905u + m[13] + (c ^ (d & (b ^ c))), 5);
                d = a + BitOperations.RotateLeft(d + 0xFCEFA3F8u + m[2] + (b ^ (c & (a ^ b))), 9);
                c = d + BitOperations.RotateLeft(c + 0x676F02D9u + m[7] + (a ^ (b & (d ^ a))), 14);
                b = c + BitOperations.RotateLeft(b + 0x8D2A4C8Au + m[12] + (d ^ (a & (c ^ d))), 20);
                a = b + BitOperations.RotateLeft(a + 0xFFFA3942u + m[5] + (b ^ c ^ d), 4);
                d = a + BitOperations.RotateLeft(d + 0x8771F681u + m[8] + (a ^ b ^ c), 11);
                c = d + BitOperations.RotateLeft(c + 0x6D9D6122u + m[11] + (d ^ a ^ b), 16);
                b = c + BitOperations.RotateLeft(b + 0xFDE5380Cu + m[14] + (c ^ d ^ a), 23);
                a = b + BitOperations.RotateLeft(a + 0xA4BEEA44u + m[1] + (b ^ c ^ d), 4);
                d = a + BitOperations.RotateLeft(d + 0x4BDECFA9u + m[4] + (a ^ b ^ c), 11);
                c = d + BitOperations.RotateLeft(c + 0xF6BB4B60u + m[7] + (d ^ a ^ b), 16);
                b = c + BitOperations.RotateLeft(b + 0xBEBFBC70u + m[10] + (c ^ d ^ a), 23);
                a = b + BitOperations.RotateLeft(a + 0x289B7EC6u + m[13] + (b ^ c ^ d), 4);
                d = a + BitOperations.RotateLeft(d + 0xEAA127FAu + m[0] + (a ^ b ^ c), 11);
                c = d + BitOperations.RotateLeft(c + 0xD4EF3085u + m[3] + (d ^ a ^ b), 16);
                b = c + BitOperations.RotateLeft(b + 0x04881D05u + m[6] + (c ^ d ^ a), 23);
                a = b + BitOperations.RotateLeft(a + 0xD9D4D039u + m[9] + (b ^ c ^ d), 4);
                d = a + BitOperations.RotateLeft(d + 0xE6DB99E5u + m[12] + (a ^ b ^ c), 11);
                c = d + BitOperations.RotateLeft(c + 0x1FA27CF8u + m[15] + (d ^ a ^ b), 16);
                b = c + BitOperations.RotateLeft(b + 0xC4AC5665u + m[2] + (c ^ d ^ a), 23);
                a = b + BitOperations.RotateLeft(a + 0xF4292244u + m[0] + (c ^ (b | ~d)), 6);
                d = a + BitOperations.RotateLeft(d + 0x432AFF97u + m[7] + (b ^ (a | ~c)), 10);
                c = d + BitOperations.RotateLeft(c + 0xAB9423A7u + m[14] + (a ^ (d | ~b)), 15);
                b = c + BitOperations.RotateLeft(b + 0xFC93A039u + m[5] + (d ^ (c | ~a)), 21);
                a = b + BitOperations.RotateLeft(a + 0x655B59C3u + m[12] + (c ^ (b | ~d)), 6);
                d = a + BitOperations.RotateLeft(d + 0x8F0CCC92u + m[3] + (b ^ (a | ~c)), 10);
                c = d + BitOperations.RotateLeft(c + 0xFFEFF47Du + m[10] + (a ^ (d | ~b)), 15);
                b = c + BitOperations.RotateLeft(b + 0x85845DD1u + m[1] + (d ^ (c | ~a)), 21);
                a = b + BitOperations.RotateLeft(a + 0x6FA87E4Fu + m[8] + (c ^ (b | ~d)), 6);
                d = a + BitOperations.RotateLeft(d + 0xFE2CE6E0u + m[15] + (b ^ (a | ~c)), 10);
                c = d + BitOperations.RotateLeft(c + 0xA3014314u + m[6] + (a ^ (d | ~b)), 15);
                b = c + BitOperations.RotateLeft(b + 0x4E0811A1u + m[13] + (d ^ (c | ~a)), 21);
                a = b + BitOperations.RotateLeft(a + 0xF7537E82u + m[4] + (c ^ (b | ~d)), 6);
                d = a + BitOperations.RotateLeft(d + 0xBD3AF235u + m[11] + (b ^ (a | ~c)), 10);
                c = d + BitOperations.RotateLeft(c + 0x2AD7D2BBu + m[2] + (a ^ (d | ~b)), 15);
                b = c + BitOperations.RotateLeft(b + 0xEB86D391u + m[9] + (d ^ (c | ~a)), 21);
                (a, b, c, d) = (a + aa, b + bb, c + cc, d + dd);
            }
        }
        (state[0], state[1], state[2], state[3]) = (a, b, c, d);
    }
}
