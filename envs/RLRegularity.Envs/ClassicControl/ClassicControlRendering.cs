using RLRegularity.Envs.Rendering;

namespace RLRegularity.Envs.ClassicControl;

/// <summary>
/// CartPole and Acrobot drawn as Gymnasium's <c>render()</c> draws them (same canvas sizes, scales, shapes and colours;
/// edges are not antialiased): a frame from here and one from Gymnasium of the same state look alike.
/// </summary>
public static class ClassicControlRendering
{
    private static readonly (byte, byte, byte) White = (255, 255, 255), Black = (0, 0, 0);

    /// <summary>The cart at position <paramref name="x"/> with its pole at angle <paramref name="theta"/> (half-length
    /// <paramref name="halfLength"/>), on a 600×400 canvas showing x in ±<paramref name="xThreshold"/>.</summary>
    public static RgbImage CartPole(double x, double theta, double halfLength, double xThreshold = CartPoleEnv.XThreshold)
    {
        const int width = 600, height = 400;
        var image = new RgbImage(width, height);
        Raster.Clear(image, White);
        double scale = width / (2 * xThreshold);
        double poleWidth = 10, poleLength = scale * 2 * halfLength, cartWidth = 50, cartHeight = 30;
        double cartX = x * scale + width / 2.0, cartY = 100, axleOffset = cartHeight / 4.0;
        (double, double)[] cart =
        [
            (cartX - cartWidth / 2, cartY - cartHeight / 2), (cartX - cartWidth / 2, cartY + cartHeight / 2),
            (cartX + cartWidth / 2, cartY + cartHeight / 2), (cartX + cartWidth / 2, cartY - cartHeight / 2),
        ];
        Raster.FillPolygon(image, cart, Black);
        // The pole's rectangle, rotated by -θ about the axle.
        (double, double)[] pole = new (double, double)[4];
        (double l, double r, double t, double b) = (-poleWidth / 2, poleWidth / 2, poleLength - poleWidth / 2, -poleWidth / 2);
        (double X, double Y)[] corners = [(l, b), (l, t), (r, t), (r, b)];
        for (int i = 0; i < 4; i++)
        {
            (double px, double py) = Rotate(corners[i], -theta);
            pole[i] = (px + cartX, py + cartY + axleOffset);
        }
        Raster.FillPolygon(image, pole, (202, 152, 101));
        Raster.FillCircle(image, cartX, cartY + axleOffset, poleWidth / 2, (129, 132, 203));
        Raster.HorizontalLine(image, 0, width, cartY, Black);
        return image;
    }

    /// <summary>The two links at angles <paramref name="theta1"/>, <paramref name="theta2"/> (lengths
    /// <paramref name="length1"/>, <paramref name="length2"/>) on a 500×500 canvas, with the target line at height 1.</summary>
    public static RgbImage Acrobot(double theta1, double theta2, double length1 = 1.0, double length2 = 1.0)
    {
        const int size = 500;
        var image = new RgbImage(size, size);
        Raster.Clear(image, White);
        double bound = length1 + length2 + 0.2, scale = size / (bound * 2), offset = size / 2.0;
        Raster.HorizontalLine(image, -2.2 * scale + offset, 2.2 * scale + offset, 1 * scale + offset, Black);
        // The two links start at the fixed joint and at the elbow (Gymnasium's p1, its [y, x] swapped into [x, y]).
        (double X, double Y) p0 = (0, 0);
        (double X, double Y) p1 = (length1 * Math.Sin(theta1) * scale, -length1 * Math.Cos(theta1) * scale);
        (double X, double Y)[] joints = [p0, p1];
        double[] angles = [theta1 - Math.PI / 2, theta1 + theta2 - Math.PI / 2];
        double[] lengths = [length1 * scale, length2 * scale];
        for (int k = 0; k < 2; k++)
        {
            (double l, double r, double t, double b) = (0, lengths[k], 0.1 * scale, -0.1 * scale);
            (double X, double Y)[] corners = [(l, b), (l, t), (r, t), (r, b)];
            var link = new (double, double)[4];
            for (int i = 0; i < 4; i++)
            {
                (double px, double py) = Rotate(corners[i], angles[k]);
                link[i] = (px + joints[k].X + offset, py + joints[k].Y + offset);
            }
            Raster.FillPolygon(image, link, (0, 204, 204));
            Raster.FillCircle(image, joints[k].X + offset, joints[k].Y + offset, 0.1 * scale, (204, 204, 0));
        }
        return image;
    }

    // pygame.math.Vector2.rotate_rad: counter-clockwise by `angle` in y-up coordinates.
    private static (double, double) Rotate((double X, double Y) p, double angle) =>
        (p.X * Math.Cos(angle) - p.Y * Math.Sin(angle), p.X * Math.Sin(angle) + p.Y * Math.Cos(angle));
}
