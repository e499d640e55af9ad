using RLRegularity.Envs.ClassicControl;
using RLRegularity.Envs.Core;
using RLRegularity.Envs.Rendering;

namespace RLRegularity.Envs.Tests.Rendering;

/// <summary>CartPole and Acrobot frames have Gymnasium's geometry and colours at hand-computed pixels.</summary>
public sealed class ClassicControlRenderingTests
{
    private static readonly (byte, byte, byte) White = (255, 255, 255), Black = (0, 0, 0), Pole = (202, 152, 101), Axle = (129, 132, 203);

    // Pixel (x, y) with y counted upwards from the bottom, as Gymnasium draws before flipping.
    private static (byte, byte, byte) At(RgbImage image, int x, int yUp) => image[x, image.Height - 1 - yUp];

    [Fact]
    public void UprightCartPoleAtTheCentre()
    {
        // Scale 600 / 4.8 = 125 px/m: the cart spans x 275..325 and y 85..115, the axle is at (300, 107.5), the pole
        // (half-length 0.5 m: 125 px long) reaches y 227.5, the track is the row y = 100.
        RgbImage frame = ClassicControlRendering.CartPole(0, 0, 0.5);
        Assert.Equal((600, 400), (frame.Width, frame.Height));
        Assert.Equal(White, At(frame, 10, 300));
        Assert.Equal(Black, At(frame, 280, 90));
        Assert.Equal(Black, At(frame, 10, 100));
        Assert.Equal(Axle, At(frame, 300, 107));
        Assert.Equal(Pole, At(frame, 300, 200));
        Assert.Equal(Pole, At(frame, 303, 220));
        Assert.Equal(White, At(frame, 300, 235));
        Assert.Equal(White, At(frame, 310, 200));
    }

    [Fact]
    public void PositiveAngleLeansThePoleRightAndXMovesTheCart()
    {
        // θ = 0.3 rad: 100 px up the pole is at x = 300 + 100·sin 0.3 ≈ 329.6, y = 107.5 + 100·cos 0.3 ≈ 203.
        RgbImage leaning = ClassicControlRendering.CartPole(0, 0.3, 0.5);
        Assert.Equal(Pole, At(leaning, 329, 203));
        Assert.Equal(White, At(leaning, 300, 203));
        // x = 1 m moves the cart 125 px to the right.
        RgbImage moved = ClassicControlRendering.CartPole(1, 0, 0.5);
        Assert.Equal(Black, At(moved, 420, 90));
        Assert.Equal(White, At(moved, 280, 90));
    }

    [Fact]
    public void HangingAcrobot()
    {
        // Scale 500 / 4.4 ≈ 113.6 px per unit; both links hang straight down from (250, 250); the target line is at
        // y ≈ 363.6; joints are yellow circles of radius 11.4 at (250, 250) and (250, 136.4).
        RgbImage frame = ClassicControlRendering.Acrobot(0, 0);
        Assert.Equal((500, 500), (frame.Width, frame.Height));
        Assert.Equal(Black, At(frame, 100, 363));
        Assert.Equal(((byte)204, (byte)204, (byte)0), At(frame, 250, 250));
        Assert.Equal(((byte)0, (byte)204, (byte)204), At(frame, 250, 190));
        Assert.Equal(((byte)204, (byte)204, (byte)0), At(frame, 250, 137));
        Assert.Equal(((byte)0, (byte)204, (byte)204), At(frame, 250, 60));
        Assert.Equal(White, At(frame, 280, 190));
        Assert.Equal(White, At(frame, 250, 300));
    }

    [Theory]
    [InlineData("CartPole-v1", 600, 400, 50)]
    [InlineData("Acrobot-v1", 500, 500, 15)]
    [InlineData("MiniGrid-Empty-5x5-v0", 160, 160, 10)]
    [InlineData("CartPole-PoleLengthSwitch-v0", 600, 400, 50)]
    public void RegisteredEnvsDrawTheirCurrentState(string id, int width, int height, int fps)
    {
        using IEnv env = EnvRegistry.Make(id);
        env.Reset(3);
        IRenderableEnv renderable = env.Find<IRenderableEnv>()!;
        Assert.Equal(fps, renderable.RenderFps);
        RgbImage before = renderable.Render();
        Assert.Equal((width, height), (before.Width, before.Height));
        for (int i = 0; i < 5; i++) env.Step(i % 2);
        Assert.NotEqual(before.Pixels, renderable.Render().Pixels);
    }
}
