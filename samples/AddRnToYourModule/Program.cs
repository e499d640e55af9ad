// Regularity Normalization in your own TorchSharp module: a small regression network whose hidden layer is scaled by
// its code length (RN), trained for a few hundred steps. The RN layer keeps its statistics and COMP as registered
// state, so they are saved with the module's weights.
using RLRegularity;
using RLRegularity.Normalization;
using TorchSharp;
using static TorchSharp.torch;

TorchRuntime.Initialize(threads: 1);
torch.manual_seed(7);

var hidden = 32;
var rn = new RegularityNormalization("rn", hidden, NormalizerOptions.Default);
var model = nn.Sequential(
    ("fc1", nn.Linear(4, hidden)),
    ("rn", rn),
    ("relu", nn.ReLU()),
    ("fc2", nn.Linear(hidden, 1)));
var optimizer = torch.optim.Adam(model.parameters(), lr: 1e-2);

// y = sum of the inputs' squares: learnable, so the loss must fall.
Tensor x = torch.randn(256, 4);
Tensor y = x.pow(2).sum(1, keepdim: true);
double first = 0, last = 0;
for (int step = 0; step < 300; step++)
{
    using var scope = torch.NewDisposeScope();
    optimizer.zero_grad();
    Tensor loss = nn.functional.mse_loss(model.forward(x), y);
    loss.backward();
    optimizer.step();
    if (step == 0) first = loss.item<float>();
    last = loss.item<float>();
}
RegularitySnapshot probe = rn.Snapshot();
Console.WriteLine($"loss {first:F3} -> {last:F3}; RN code length {probe.CodeLength:F3} after {probe.Calls} calls, COMP {probe.Comp:F3}");
return last < first / 2 && probe.CodeLength is > 0 ? 0 : 1;
