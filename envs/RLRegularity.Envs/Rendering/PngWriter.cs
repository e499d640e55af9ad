using System.IO.Compression;

namespace RLRegularity.Envs.Rendering;

/// <summary>A minimal PNG encoder: 8-bit RGB, no interlacing, filter 0 on every row, zlib-compressed IDAT, CRC-32 per chunk.</summary>
public static class PngWriter
{
    private static readonly uint[] CrcTable = BuildCrcTable();
    private static readonly byte[] Signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>Writes <paramref name="image"/> to the file at <paramref name="path"/> (created or replaced).</summary>
    public static void Write(string path, RgbImage image)
    {
        using FileStream file = File.Create(path);
        Write(file, image);
    }

    /// <summary>Writes <paramref name="image"/> as a PNG to <paramref name="output"/>.</summary>
    public static void Write(Stream output, RgbImage image)
    {
        output.Write(Signature);
        var header = new byte[13];
        WriteBigEndian(header, 0, (uint)image.Width);
        WriteBigEndian(header, 4, (uint)image.Height);
        header[8] = 8; // bit depth
        header[9] = 2; // colour type: RGB
        WriteChunk(output, "IHDR", header);
        var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            int stride = image.Width * 3;
            for (int y = 0; y < image.Height; y++)
            {
                zlib.WriteByte(0); // filter type None
                zlib.Write(image.Pixels, y * stride, stride);
            }
        }
        WriteChunk(output, "IDAT", compressed.ToArray());
        WriteChunk(output, "IEND", []);
    }

    private static void WriteChunk(Stream output, string type, byte[] data)
    {
        var head = new byte[8];
        WriteBigEndian(head, 0, (uint)data.Length);
        for (int i = 0; i < 4; i++) head[4 + i] = (byte)type[i];
        output.Write(head);
        output.Write(data);
        uint crc = Crc32(head.AsSpan(4, 4), 0xFFFFFFFFu);
        crc = Crc32(data, crc) ^ 0xFFFFFFFFu;
        var tail = new byte[4];
        WriteBigEndian(tail, 0, crc);
        output.Write(tail);
    }

    /// <summary>Continues the PNG/zlib CRC-32 (polynomial 0xEDB88320) of <paramref name="crc"/> over <paramref name="data"/> (no final inversion).</summary>
    private static uint Crc32(ReadOnlySpan<byte> data, uint crc)
    {
        foreach (byte b in data) crc = CrcTable[(crc ^ b) & 0xFF] ^ (crc >> 8);
        return crc;
    }

    private static uint[] BuildCrcTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            table[n] = c;
        }
        return table;
    }

    private static void WriteBigEndian(byte[] buffer, int offset, uint value)
    {
        buffer[offset] = (byte)(value >> 24);
        buffer[offset + 1] = (byte)(value >> 16);
        buffer[offset + 2] = (byte)(value >> 8);
        buffer[offset + 3] = (byte)value;
    }
}
