"""time-series-autoencoder: the plain Decoder never receives the encoder's output.
In AutoEncForecast the encoder LSTM is stepped over the window and its hidden
states are returned as `input_encoded`, then `self.decoder(encoder_output,
y_hist)` is called. With attention switched off the plain Decoder's forward is
`def forward(self, _, y_hist)`: the encoding is bound to `_` and thrown away,
the decoder LSTM starts from fresh init_hidden states and only sees the
shifted target y_hist. A user asked why the encoded vector is not passed as the
decoder's initial hidden state and the maintainer agreed it is a bug. So the
encoder LSTM takes no part in the loss: under a GradientTape loop its kernel,
recurrent kernel and bias get no gradient (Keras warns) while the decoder
trains. Ported from the PyTorch model.py to Keras with the same classes and
helpers. Fix: start the decoder from the encoder's last state.
---
source: https://github.com/JulesBelveze/time-series-autoencoder/issues/14
framework: both
outcome: warning
cause: unused_variable
static: false
line: [63, 62, 79]
also: [disconnected]
variables: [encoder/lstm/kernel, encoder/lstm/recurrent_kernel, encoder/lstm/bias]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
tf.keras.utils.set_random_seed(0)
keras = tf.keras


def init_hidden(x, hidden_size, xavier=True):
    if xavier:
        return tf.random.normal((tf.shape(x)[0], hidden_size), stddev=(2.0 / (1 + hidden_size)) ** 0.5)
    return tf.zeros((tf.shape(x)[0], hidden_size))


class Encoder(keras.layers.Layer):
    def __init__(self, config, input_size, name="encoder"):
        super().__init__(name=name)
        self.input_size = input_size
        self.hidden_size = config["hidden_size_encoder"]
        self.seq_len = config["seq_len"]
        self.lstm = keras.layers.LSTMCell(self.hidden_size, name="lstm")

    def call(self, input_data):
        h_t, c_t = (init_hidden(input_data, self.hidden_size),
                    init_hidden(input_data, self.hidden_size))
        input_encoded = []
        for t in range(self.seq_len):
            _, (h_t, c_t) = self.lstm(input_data[:, t, :], [h_t, c_t])
            input_encoded.append(h_t)
        return _, tf.stack(input_encoded, axis=1)


class Decoder(keras.layers.Layer):
    def __init__(self, config, name="decoder"):
        super().__init__(name=name)
        self.seq_len = config["seq_len"]
        self.hidden_size = config["hidden_size_decoder"]
        self.lstm = keras.layers.LSTMCell(self.hidden_size, name="lstm")
        self.fc = keras.layers.Dense(config["output_size"], name="fc")

    def call(self, _, y_hist):
        h_t, c_t = (init_hidden(y_hist, self.hidden_size),
                    init_hidden(y_hist, self.hidden_size))
        for t in range(self.seq_len):
            inp = y_hist[:, t][:, None]
            lstm_out, (h_t, c_t) = self.lstm(inp, [h_t, c_t])
        return self.fc(lstm_out)


class AutoEncForecast(keras.Model):
    def __init__(self, config, input_size):
        super().__init__()
        self.encoder = Encoder(config, input_size)
        self.decoder = Decoder(config)

    def call(self, encoder_input, y_hist, return_attention=True):
        attentions, encoder_output = self.encoder(encoder_input)
        outputs = self.decoder(encoder_output, y_hist)
        if return_attention:
            return outputs, attentions
        return outputs


config = {"hidden_size_encoder": 16, "hidden_size_decoder": 16, "seq_len": 10,
          "output_size": 1, "lr": 1e-2}
n_feats = 3
series = np.cumsum(np.random.randn(200, n_feats + 1).astype("float32"), axis=0) / 10.0
windows = np.stack([series[i:i + config["seq_len"] + 1] for i in range(150)])
feature = tf.constant(windows[:, :-1, :n_feats])
y_hist = tf.constant(windows[:, :-1, n_feats])
target = tf.constant(windows[:, -1:, n_feats])

model = AutoEncForecast(config, input_size=n_feats)
optimizer = keras.optimizers.Adam(config["lr"])
criterion = keras.losses.MeanSquaredError()

for epoch in range(3):
    for i in range(0, 150, 50):
        with tf.GradientTape() as tape:
            output = model(feature[i:i + 50], y_hist[i:i + 50], return_attention=False)
            loss = criterion(target[i:i + 50], output)
        grads = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(grads, model.trainable_variables))
    print(f"epoch {epoch} loss {float(loss):.4f}")

for v, g in zip(model.trainable_variables, grads):
    print(f"{getattr(v, 'path', v.name):40s} grad is None: {g is None}")
