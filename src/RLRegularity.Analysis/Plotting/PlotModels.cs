using OxyPlot;
using OxyPlot.Annotations;
using OxyPlot.Axes;
using OxyPlot.Legends;
using OxyPlot.Series;

namespace RLRegularity.Plotting;

/// <summary>The OxyPlot models of RLRegularity's figures: learning curves with bands, regularity probes, interval plots.</summary>
public static class PlotModels
{
    // A colour-blind-safe palette (Okabe–Ito), so normalizers stay distinguishable in print.
    private static readonly OxyColor[] Palette =
    [
        OxyColor.FromRgb(0, 114, 178), OxyColor.FromRgb(213, 94, 0), OxyColor.FromRgb(0, 158, 115), OxyColor.FromRgb(204, 121, 167),
        OxyColor.FromRgb(230, 159, 0), OxyColor.FromRgb(86, 180, 233), OxyColor.FromRgb(0, 0, 0), OxyColor.FromRgb(240, 228, 66),
    ];

    /// <summary>Lines with shaded 95% bands against steps, with dashed vertical markers where the task changes.</summary>
    public static PlotModel Curves(string title, string xTitle, string yTitle, IReadOnlyList<PlotSeries> series, IReadOnlyList<(double X, string Label)> markers,
                                   string xFormat = "#,0")
    {
        var model = NewModel(title);
        model.Axes.Add(new LinearAxis { Position = AxisPosition.Bottom, Title = xTitle, MajorGridlineStyle = LineStyle.Dot, StringFormat = xFormat });
        model.Axes.Add(new LinearAxis { Position = AxisPosition.Left, Title = yTitle, MajorGridlineStyle = LineStyle.Dot });
        for (int s = 0; s < series.Count; s++)
        {
            PlotSeries data = series[s];
            OxyColor color = Palette[s % Palette.Length];
            var band = new AreaSeries
            {
                Fill = OxyColor.FromAColor(60, color), Color = OxyColors.Transparent, Color2 = OxyColors.Transparent,
                StrokeThickness = 0, RenderInLegend = false,
            };
            var line = new LineSeries { Title = data.Name, Color = color, StrokeThickness = 2.5 };
            for (int i = 0; i < data.X.Length; i++)
            {
                if (double.IsFinite(data.Lower[i]) && double.IsFinite(data.Upper[i]))
                {
                    band.Points.Add(new DataPoint(data.X[i], data.Lower[i]));
                    band.Points2.Add(new DataPoint(data.X[i], data.Upper[i]));
                }
                line.Points.Add(double.IsFinite(data.Center[i]) ? new DataPoint(data.X[i], data.Center[i]) : DataPoint.Undefined);
            }
            model.Series.Add(band);
            model.Series.Add(line);
        }
        foreach ((double x, string label) in markers)
        {
            model.Annotations.Add(new LineAnnotation
            {
                Type = LineAnnotationType.Vertical, X = x, Color = OxyColors.DimGray, LineStyle = LineStyle.Dash, StrokeThickness = 1.5,
                Text = label, TextColor = OxyColors.DimGray, TextOrientation = AnnotationTextOrientation.Vertical,
            });
        }
        return model;
    }

    /// <summary>One row per entry: the estimate as a dot and its interval as a bar (rliable's interval estimates figure).</summary>
    public static PlotModel Intervals(string title, string xTitle, IReadOnlyList<IntervalRow> rows)
    {
        var model = NewModel(title);
        model.IsLegendVisible = false;
        var categories = new CategoryAxis { Position = AxisPosition.Left, IsZoomEnabled = false, GapWidth = 0.5 };
        foreach (IntervalRow row in rows) categories.Labels.Add(row.Name);
        model.Axes.Add(categories);
        model.Axes.Add(new LinearAxis { Position = AxisPosition.Bottom, Title = xTitle, MajorGridlineStyle = LineStyle.Dot, MinimumPadding = 0.1, MaximumPadding = 0.1 });
        for (int i = 0; i < rows.Count; i++)
        {
            OxyColor color = Palette[(rows[i].Color ?? i) % Palette.Length];
            var bar = new LineSeries { Color = OxyColor.FromAColor(150, color), StrokeThickness = 14 };
            bar.Points.Add(new DataPoint(rows[i].Lower, i));
            bar.Points.Add(new DataPoint(rows[i].Upper, i));
            var dot = new ScatterSeries { MarkerType = MarkerType.Diamond, MarkerSize = 7, MarkerFill = OxyColors.Black };
            dot.Points.Add(new ScatterPoint(rows[i].Estimate, i));
            model.Series.Add(bar);
            model.Series.Add(dot);
        }
        return model;
    }

    private static PlotModel NewModel(string title)
    {
        var model = new PlotModel { Title = title, TitleFontSize = 18, DefaultFontSize = 14, Background = OxyColors.White, PlotMargins = new OxyThickness(double.NaN) };
        model.Legends.Add(new Legend { LegendPosition = LegendPosition.RightBottom, LegendPlacement = LegendPlacement.Inside, LegendBackground = OxyColor.FromAColor(220, OxyColors.White), LegendBorder = OxyColors.Gray });
        return model;
    }
}
