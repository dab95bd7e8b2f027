"""CoNet (collaborative cross networks) recommender ported from TF1 to TF2 eager: the app-domain loss is computed as an eager tensor by the model methods and then passed to `optimizer.compute_gradients(self.loss_app_only, params)`; the TF1 API idiom has no tape to differentiate, so the optimizer raises "`tape` is required when a `Tensor` loss is passed".

---
source: https://github.com/njuhugn/CoNet/issues/1
framework: keras2
outcome: error
cause: outside_tape
line: [45, 52, 53]
static: false
variables: [app_W, app_b, cross_H, out_h_app, V_app]
"""
import os
os.environ["TF_USE_LEGACY_KERAS"] = "1"
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf


class CoNet:
    def __init__(self, n_users=50, n_apps=30, n_news=40, edim=8, layers=(16, 8)):
        self.edim, self.layers = edim, layers
        init = tf.random_normal_initializer(stddev=0.1)
        self.U = tf.Variable(init([n_users, edim]), name="U")
        self.V_app = tf.Variable(init([n_apps, edim]), name="V_app")
        self.V_news = tf.Variable(init([n_news, edim]), name="V_news")
        dims = [2 * edim] + list(layers)
        self.weights_app = [tf.Variable(init([dims[i], dims[i + 1]]), name=f"app_W{i}") for i in range(len(layers))]
        self.biases_app = [tf.Variable(tf.zeros([dims[i + 1]]), name=f"app_b{i}") for i in range(len(layers))]
        self.weights_news = [tf.Variable(init([dims[i], dims[i + 1]]), name=f"news_W{i}") for i in range(len(layers))]
        self.biases_news = [tf.Variable(tf.zeros([dims[i + 1]]), name=f"news_b{i}") for i in range(len(layers))]
        self.cross = [tf.Variable(init([dims[i], dims[i + 1]]), name=f"cross_H{i}") for i in range(len(layers))]
        self.h_app = tf.Variable(init([layers[-1], 1]), name="out_h_app")
        self.opt_app = tf.keras.optimizers.Adam(learning_rate=1e-3)

    def forward_app(self, user, app, news):
        x_app = tf.concat([tf.gather(self.U, user), tf.gather(self.V_app, app)], axis=1)
        x_news = tf.concat([tf.gather(self.U, user), tf.gather(self.V_news, news)], axis=1)
        for W_a, b_a, W_n, b_n, H in zip(self.weights_app, self.biases_app,
                                         self.weights_news, self.biases_news, self.cross):
            x_app, x_news = (tf.nn.relu(x_app @ W_a + x_news @ H + b_a),
                             tf.nn.relu(x_news @ W_n + x_app @ H + b_n))
        return tf.squeeze(x_app @ self.h_app, axis=1)

    def build_model_app_training(self, user, app, news, label):
        logits = self.forward_app(user, app, news)
        self.loss_app_only = tf.reduce_mean(
            tf.nn.sigmoid_cross_entropy_with_logits(labels=label, logits=logits))
        params = [self.U, self.V_app] + self.weights_app + self.biases_app + self.cross + [self.h_app]
        return params

    def train_app(self, user, app, news, label):
        params = self.build_model_app_training(user, app, news, label)
        grads_and_vars = self.opt_app.compute_gradients(self.loss_app_only, params)
        self.opt_app.apply_gradients(grads_and_vars)
        return float(self.loss_app_only)


model = CoNet()
user = np.random.randint(0, 50, 32)
app = np.random.randint(0, 30, 32)
news = np.random.randint(0, 40, 32)
label = np.random.randint(0, 2, 32).astype(np.float32)
for epoch in range(2):
    print("epoch", epoch, model.train_app(user, app, news, label))
