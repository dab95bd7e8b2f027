"""ES-RNN tutorial (Azure DeepLearningForTimeSeriesForecasting, 4_ES_RNN) ported from keras 2.2
/ TF 1.12 to tf.keras 2.x. The custom `ES` layer creates `init_seasonality` with add_weight and,
still inside build(), slices it into a Python deque `seasonality_queue` that call() pops from.
In TF 1 the slices were graph ops re-run at every step; under TF 2 build() runs once, eagerly,
so the queue holds constant tensors: `init_seasonality` takes no part in the loss and fit warns
"Gradients do not exist for variables ['es/init_seasonality']". call() then also appends its own
step tensors to that layer-level deque, so the next traced step pops tensors of an earlier graph
and fit dies (InaccessibleTensorError; the report's fit crashed the same way right after the
warning). Fix: build the deque from `self.init_seasonality` at the start of call().

---
source: https://github.com/tensorflow/tensorflow/issues/42542
framework: both
outcome: error
cause: outside_tape
line: [52, 53]
variables: [init_seasonality]
also: [disconnected]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
from collections import deque
import numpy as np
import tensorflow as tf
from tensorflow.keras import backend as K
from tensorflow.keras.layers import Layer, Input, GRU, Dense
from tensorflow.keras import initializers
from tensorflow.keras.models import Model

np.random.seed(0)
tf.random.set_seed(0)


# Exponential Smoothing + Normalization
class ES(Layer):

    def __init__(self, horizon, m, batch_size, time_steps, **kwargs):
        self.horizon = horizon
        self.m = m
        self.batch_size = batch_size
        self.time_steps = time_steps

        super(ES, self).__init__(**kwargs)

    # initialization of the trainable parameters of exponential smoothing
    def build(self, input_shape):
        self.alpha = self.add_weight(name='alpha', shape=(1,),
                                     initializer='uniform', trainable=True)
        self.gamma = self.add_weight(name='gamma', shape=(1,),
                                     initializer='uniform', trainable=True)
        self.init_seasonality = self.add_weight(name='init_seasonality', shape=(self.m,),
                                                initializer=initializers.Constant(value=0.8), trainable=True)
        self.init_seasonality_list = [tf.slice(self.init_seasonality,(i,),(1,)) for i in range(self.m)]
        self.seasonality_queue = deque(self.init_seasonality_list, self.m)
        self.level = self.add_weight(name='init_level', shape=(1,),
                                     initializer=initializers.Constant(value=0.8),
                                     trainable=True)
        super(ES, self).build(input_shape)

    def call(self, x):

        # extract time-series from feature vector
        n_examples = K.int_shape(x)[0]
        if n_examples is None:
            n_examples = self.batch_size
        x1 = tf.slice(x,(0,0,0),(1,self.time_steps,1))
        x1 = K.reshape(x1,(self.time_steps,))
        x2 = tf.slice(x,(1,self.time_steps-1,0),(n_examples-1,1,1))
        x2 = K.reshape(x2,(n_examples-1,))
        ts = K.concatenate([x1,x2])

        x_norm = []  # normalized values of time-series
        ls = []      # coeffients for denormalization of forecasts

        l_t_minus_1 = self.level

        for i in range(n_examples+self.time_steps-1):

            # compute l_t
            y_t = ts[i]
            s_t = self.seasonality_queue.popleft()
            l_t = self.alpha * y_t / s_t + (1 - self.alpha) * l_t_minus_1

            # compute s_{t+m}
            s_t_plus_m = self.gamma * y_t / l_t + (1 - self.gamma) * s_t

            self.seasonality_queue.append(s_t_plus_m)

            # normalize y_t
            x_norm.append(y_t / (s_t * l_t))

            l_t_minus_1 = l_t

            if i >= self.time_steps-1:
                l = [l_t]*self.horizon
                l = K.concatenate(l)
                s = [self.seasonality_queue[i] for i in range(self.horizon)] # we assume here that horizon < m
                s = K.concatenate(s)
                ls_t = K.concatenate([K.expand_dims(l), K.expand_dims(s)])
                ls.append(K.expand_dims(ls_t,axis=0))

        x_norm = K.concatenate(x_norm)

        # create x_out
        x_out = []
        for i in range(n_examples):
            norm_features = tf.slice(x_norm,(i,),(self.time_steps,))
            norm_features = K.expand_dims(norm_features,axis=0)
            x_out.append(norm_features)

        x_out = K.concatenate(x_out, axis=0)
        x_out = K.expand_dims(x_out)

        # create tensor of denormalization coefficients
        denorm_coeff = K.concatenate(ls, axis=0)
        return [x_out, denorm_coeff]

    def compute_output_shape(self, input_shape):
        return [(input_shape[0], input_shape[1], input_shape[2]), (input_shape[0], self.horizon, 2)]

class Denormalization(Layer):

    def __init__(self, **kwargs):
        super(Denormalization, self).__init__(**kwargs)

    def build(self, input_shape):
        super(Denormalization, self).build(input_shape)

    def call(self, x):
        return x[0] * x[1][:,:,0] * x[1][:,:,1]

    def compute_output_shape(self, input_shape):
        return input_shape[0]


T = 6
HORIZON = 3
LATENT_DIM = 5 # number of units in the RNN layer
BATCH_SIZE = 8 # number of samples per mini-batch
m = 4 # seasonality length

model_input = Input(shape=(None, 1), batch_size=BATCH_SIZE)
[normalized_input, denormalization_coeff] = ES(HORIZON, m, BATCH_SIZE, T)(model_input)
gru_out = GRU(LATENT_DIM)(normalized_input)
model_output_normalized = Dense(HORIZON)(gru_out)
model_output = Denormalization()([model_output_normalized, denormalization_coeff])
model = Model(inputs=model_input, outputs=model_output)

model.compile(optimizer='RMSprop', loss='mse')

series = 1.0 + 0.1 * np.random.rand(BATCH_SIZE * 4 + T + HORIZON).astype('float32')
X = np.stack([series[i:i + T] for i in range(BATCH_SIZE * 4)])[..., None]
Y = np.stack([series[i + T:i + T + HORIZON] for i in range(BATCH_SIZE * 4)])
model.fit(X, Y, batch_size=BATCH_SIZE, shuffle=False, epochs=1, verbose=0)
