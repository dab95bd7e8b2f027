"""SimCLR (google-research/simclr, tf2/) fine-tuned with `--train_mode=finetune` and a non-LARS
optimizer: the custom `single_step` runs the whole model under a GradientTape and asks for the
gradient of the supervised loss plus weight decay with respect to `model.trainable_variables`.
`ProjectionHead.call` still computes all its layers, but with the default `ft_proj_selector=0`
the supervised head reads `hiddens_list[0]`, the projection head's *input*; its output is
dropped in `Model.__call__`. The dense kernels of the head still get a gradient, but only from
the L2 weight-decay term (`add_weight_decay` skips names containing 'batch_normalization'), so
the user saw "Gradients do not exist for variables" for the head's BatchNorm gamma/beta only.
The fix: do not build/use the projection head when fine-tuning from its input (or choose
`ft_proj_selector` > 0), so that the head's layers are part of the supervised path.
---
source: https://github.com/google-research/simclr/issues/105
framework: keras2
outcome: warning
cause: unused_variable
static: false
line: [208, 209, 231, 246]
variables: [projection_head/nl_0/batch_norm_relu/batch_normalization_1/gamma, projection_head/nl_0/batch_norm_relu/batch_normalization_1/beta, projection_head/nl_1/batch_norm_relu_1/batch_normalization_2/gamma, projection_head/nl_1/batch_norm_relu_1/batch_normalization_2/beta, projection_head/nl_2/batch_norm_relu_2/batch_normalization_3/gamma]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import sys
import numpy as np
from absl import flags
import tensorflow.compat.v2 as tf

FLAGS = flags.FLAGS
flags.DEFINE_enum('train_mode', 'finetune', ['pretrain', 'finetune'], 'Mode.')
flags.DEFINE_bool('lineareval_while_pretraining', True, 'Linear eval head.')
flags.DEFINE_float('weight_decay', 1e-6, 'Amount of weight decay to use.')
flags.DEFINE_string('optimizer', 'momentum', 'Optimizer to use.')
flags.DEFINE_float('momentum', 0.9, 'Momentum parameter.')
flags.DEFINE_string('proj_head_mode', 'nonlinear', 'How the head projection is done.')
flags.DEFINE_integer('proj_out_dim', 8, 'Number of head projection dimension.')
flags.DEFINE_integer('num_proj_layers', 3, 'Number of non-linear head layers.')
flags.DEFINE_integer('ft_proj_selector', 0, 'Which layer of the projection head to use '
                     'during fine-tuning. 0 means no projection head.')
flags.DEFINE_boolean('global_bn', False, 'Aggregate BN statistics across cores.')
flags.DEFINE_float('batch_norm_decay', 0.9, 'Batch norm decay parameter.')
flags.DEFINE_integer('image_size', 8, 'Input image size.')
FLAGS(sys.argv[:1])

BATCH_NORM_EPSILON = 1e-5
tf.random.set_seed(0)
np.random.seed(0)


class BatchNormRelu(tf.keras.layers.Layer):  # pylint: disable=missing-docstring

  def __init__(self, relu=True, init_zero=False, center=True, scale=True,
               data_format='channels_last', **kwargs):
    super(BatchNormRelu, self).__init__(**kwargs)
    self.relu = relu
    if init_zero:
      gamma_initializer = tf.zeros_initializer()
    else:
      gamma_initializer = tf.ones_initializer()
    axis = 1 if data_format == 'channels_first' else -1
    self.bn = tf.keras.layers.BatchNormalization(
        axis=axis,
        momentum=FLAGS.batch_norm_decay,
        epsilon=BATCH_NORM_EPSILON,
        center=center,
        scale=scale,
        fused=False,
        gamma_initializer=gamma_initializer)

  def call(self, inputs, training):
    inputs = self.bn(inputs, training=training)
    if self.relu:
      inputs = tf.nn.relu(inputs)
    return inputs


def resnet(resnet_depth, width_multiplier, cifar_stem=False):
  # Tiny stand-in for the ResNet backbone: conv, BN-ReLU, global pooling.
  return tf.keras.Sequential([
      tf.keras.layers.Conv2D(8 * width_multiplier, 3, padding='same', use_bias=False),
      tf.keras.layers.BatchNormalization(),
      tf.keras.layers.ReLU(),
      tf.keras.layers.GlobalAveragePooling2D(),
  ], name='resnet')


def build_optimizer(learning_rate):
  """Returns the optimizer."""
  if FLAGS.optimizer == 'momentum':
    return tf.keras.optimizers.SGD(learning_rate, FLAGS.momentum, nesterov=True)
  elif FLAGS.optimizer == 'adam':
    return tf.keras.optimizers.Adam(learning_rate)
  else:
    raise ValueError('Unknown optimizer {}'.format(FLAGS.optimizer))


def add_weight_decay(model, adjust_per_optimizer=True):
  """Compute weight decay from flags."""
  if adjust_per_optimizer and 'lars' in FLAGS.optimizer:
    l2_losses = [
        tf.nn.l2_loss(v)
        for v in model.trainable_variables
        if 'head_supervised' in v.name and 'bias' not in v.name
    ]
    if l2_losses:
      return FLAGS.weight_decay * tf.add_n(l2_losses)
    else:
      return 0

  # TODO(srbs): Think of a way to avoid name-based filtering here.
  l2_losses = [
      tf.nn.l2_loss(v)
      for v in model.trainable_weights
      if 'batch_normalization' not in v.name
  ]
  loss = FLAGS.weight_decay * tf.add_n(l2_losses)
  return loss


def add_supervised_loss(labels, logits):
  """Compute mean supervised loss over local batch."""
  losses = tf.keras.losses.CategoricalCrossentropy(
      from_logits=True, reduction=tf.keras.losses.Reduction.NONE)(labels, logits)
  return tf.reduce_mean(losses)


class LinearLayer(tf.keras.layers.Layer):

  def __init__(self, num_classes, use_bias=True, use_bn=False,
               name='linear_layer', **kwargs):
    # Note: use_bias is ignored for the dense layer when use_bn=True.
    # However, it is still used for batch norm.
    super(LinearLayer, self).__init__(**kwargs)
    self.num_classes = num_classes
    self.use_bias = use_bias
    self.use_bn = use_bn
    self._name = name
    if self.use_bn:
      self.bn_relu = BatchNormRelu(relu=False, center=use_bias)

  def build(self, input_shape):
    if callable(self.num_classes):
      num_classes = self.num_classes(input_shape)
    else:
      num_classes = self.num_classes
    self.dense = tf.keras.layers.Dense(
        num_classes,
        kernel_initializer=tf.keras.initializers.RandomNormal(stddev=0.01),
        use_bias=self.use_bias and not self.use_bn)
    super(LinearLayer, self).build(input_shape)

  def call(self, inputs, training):
    assert inputs.shape.ndims == 2, inputs.shape
    inputs = self.dense(inputs)
    if self.use_bn:
      inputs = self.bn_relu(inputs, training=training)
    return inputs


class ProjectionHead(tf.keras.layers.Layer):

  def __init__(self, **kwargs):
    out_dim = FLAGS.proj_out_dim
    self.linear_layers = []
    if FLAGS.proj_head_mode == 'none':
      pass  # directly use the output hiddens as hiddens
    elif FLAGS.proj_head_mode == 'linear':
      self.linear_layers = [
          LinearLayer(num_classes=out_dim, use_bias=False, use_bn=True, name='l_0')
      ]
    elif FLAGS.proj_head_mode == 'nonlinear':
      for j in range(FLAGS.num_proj_layers):
        if j != FLAGS.num_proj_layers - 1:
          # for the middle layers, use bias and relu for the output.
          self.linear_layers.append(
              LinearLayer(
                  num_classes=lambda input_shape: int(input_shape[-1]),
                  use_bias=True,
                  use_bn=True,
                  name='nl_%d' % j))
        else:
          # for the final layer, neither bias nor relu is used.
          self.linear_layers.append(
              LinearLayer(
                  num_classes=FLAGS.proj_out_dim,
                  use_bias=False,
                  use_bn=True,
                  name='nl_%d' % j))
    else:
      raise ValueError('Unknown head projection mode {}'.format(FLAGS.proj_head_mode))
    super(ProjectionHead, self).__init__(**kwargs)

  def call(self, inputs, training):
    if FLAGS.proj_head_mode == 'none':
      return inputs  # directly use the output hiddens as hiddens
    hiddens_list = [tf.identity(inputs, 'proj_head_input')]
    if FLAGS.proj_head_mode == 'linear':
      assert len(self.linear_layers) == 1, len(self.linear_layers)
      return hiddens_list.append(self.linear_layers[0](hiddens_list[-1], training))
    elif FLAGS.proj_head_mode == 'nonlinear':
      for j in range(FLAGS.num_proj_layers):
        hiddens = self.linear_layers[j](hiddens_list[-1], training)
        if j != FLAGS.num_proj_layers - 1:
          # for the middle layers, use bias and relu for the output.
          hiddens = tf.nn.relu(hiddens)
        hiddens_list.append(hiddens)
    else:
      raise ValueError('Unknown head projection mode {}'.format(FLAGS.proj_head_mode))
    # The first element is the output of the projection head.
    # The second element is the input of the finetune head.
    proj_head_output = tf.identity(hiddens_list[-1], 'proj_head_output')
    return proj_head_output, hiddens_list[FLAGS.ft_proj_selector]


class SupervisedHead(tf.keras.layers.Layer):

  def __init__(self, num_classes, name='head_supervised', **kwargs):
    super(SupervisedHead, self).__init__(name=name, **kwargs)
    self.linear_layer = LinearLayer(num_classes)

  def call(self, inputs, training):
    inputs = self.linear_layer(inputs, training)
    inputs = tf.identity(inputs, name='logits_sup')
    return inputs


class Model(tf.keras.models.Model):
  """Resnet model with projection or supervised layer."""

  def __init__(self, num_classes, **kwargs):
    super(Model, self).__init__(**kwargs)
    self.resnet_model = resnet(resnet_depth=50, width_multiplier=1,
                               cifar_stem=FLAGS.image_size <= 32)
    self._projection_head = ProjectionHead(name='projection_head')
    if FLAGS.train_mode == 'finetune' or FLAGS.lineareval_while_pretraining:
      self.supervised_head = SupervisedHead(num_classes)

  def __call__(self, inputs, training):
    features = inputs
    num_transforms = inputs.shape[3] // 3
    num_transforms = tf.repeat(3, num_transforms)
    features_list = tf.split(features, num_or_size_splits=num_transforms, axis=-1)
    features = tf.concat(features_list, 0)  # (num_transforms * bsz, h, w, c)

    # Base network forward pass.
    hiddens = self.resnet_model(features, training=training)

    # Add heads.
    projection_head_outputs, supervised_head_inputs = self._projection_head(
        hiddens, training)

    if FLAGS.train_mode == 'finetune':
      supervised_head_outputs = self.supervised_head(supervised_head_inputs, training)
      return None, supervised_head_outputs
    elif FLAGS.train_mode == 'pretrain' and FLAGS.lineareval_while_pretraining:
      supervised_head_outputs = self.supervised_head(
          tf.stop_gradient(supervised_head_inputs), training)
      return projection_head_outputs, supervised_head_outputs
    else:
      return projection_head_outputs, None


num_classes = 4
model = Model(num_classes)
optimizer = build_optimizer(0.05)


def single_step(features, labels):
  with tf.GradientTape() as tape:
    projection_head_outputs, supervised_head_outputs = model(features, training=True)
    loss = None
    if supervised_head_outputs is not None:
      outputs = supervised_head_outputs
      l = labels['labels']
      sup_loss = add_supervised_loss(labels=l, logits=outputs)
      if loss is None:
        loss = sup_loss
      else:
        loss += sup_loss
    weight_decay = add_weight_decay(model, adjust_per_optimizer=True)
    loss += weight_decay
  grads = tape.gradient(loss, model.trainable_variables)
  optimizer.apply_gradients(zip(grads, model.trainable_variables))
  return loss


images = np.random.rand(8, FLAGS.image_size, FLAGS.image_size, 3).astype('float32')
label_ids = np.random.randint(0, num_classes, 8)
onehot = np.eye(num_classes, dtype='float32')[label_ids]
for step in range(2):
  loss = single_step(tf.constant(images), {'labels': tf.constant(onehot)})
print('trainable variables:', [v.name for v in model.trainable_variables])
print('loss:', round(float(loss), 4))
