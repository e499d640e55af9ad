using System.Buffers.Binary;
using System.Numerics;

namespace RLRegularity.Logging;

/// <summary>
/// TFRecord framing, the container of TensorBoard event files: per record a little-endian uint64 length, the masked
/// CRC-32C of those 8 bytes, the payload, and the masked CRC-32C of the payload.
/// </summary>
public static class TfRecordFile
{
    /// <summary>Appends one record holding <paramref name="payload"/> to <paramref name="stream"/>.</summary>
    public static void Write(Stream stream, ReadOnlySpan<byte> payload)
    {
        Span<byte> header = stackalloc byte[12];
        BinaryPrimitives.WriteUInt64LittleEndian(header, (ulong)payload.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], MaskedCrc32C(header[..8]));
        stream.Write(header);
        stream.Write(payload);
        Span<byte> footer = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(footer, MaskedCrc32C(payload));
        stream.Write(footer);
    }

    /// <summary>Every record's payload in <paramref name="path"/>, in order; a torn or corrupt record is an error naming its offset.</summary>
    public static IEnumerable<byte[]> Read(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        int at = 0;
        while (at < bytes.Length)
        {
            if (bytes.Length - at < 12) throw new InvalidDataException($"{path}: torn record header at byte {at}");
            ReadOnlySpan<byte> header = bytes.AsSpan(at, 12);
            if (BinaryPrimitives.ReadUInt32LittleEndian(header[8..]) != MaskedCrc32C(header[..8]))
                throw new InvalidDataException($"{path}: bad length checksum at byte {at}");
            long length = (long)BinaryPrimitives.ReadUInt64LittleEndian(header);
            if (length > bytes.Length - at - 16) throw new InvalidDataException($"{path}: torn record at byte {at}");
            byte[] payload = bytes.AsSpan(at + 12, (int)length).ToArray();
            if (BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(at + 12 + (int)length, 4)) != MaskedCrc32C(payload))
                throw new InvalidDataException($"{path}: bad payload checksum at byte {at}");
            yield return payload;
            at += 16 + (int)length;
        }
    }

    /// <summary>CRC-32C (Castagnoli) of <paramref name="data"/>, as TFRecord's checksums use it (before masking).</summary>
    public static uint Crc32C(ReadOnlySpan<byte> data)
    {
        uint crc = uint.MaxValue;
        foreach (byte b in data) crc = BitOperations.Crc32C(crc, b);
        return ~crc;
    }

    // TFRecord stores CRCs rotated and offset, so that a CRC over data that contains CRCs stays well distributed.
    private static uint MaskedCrc32C(ReadOnlySpan<byte> data)
    {
        uint crc = Crc32C(data);
        return ((crc >> 15) | (crc << 17)) + 0xa282ead8u;
    }
}
